/// How to reach PostgreSQL. The URL (`postgresql://user@host:port/db?...`, or a
/// `host=... dbname=...` conninfo) is handed to libpq as the `dbname` keyword with
/// `expand_dbname`, so libpq parses it; the settings below are separate keywords.
public struct ConnectionConfiguration: Sendable {
    public var url: String
    public var applicationName: String
    /// Seconds libpq waits for a connection to be made.
    public var connectTimeoutSeconds: Int
    /// Milliseconds after which the server cancels a statement; nil for no limit.
    public var statementTimeoutMilliseconds: Int?

    public init(
        url: String,
        applicationName: String = "doorstroom",
        connectTimeoutSeconds: Int = 5,
        statementTimeoutMilliseconds: Int? = 30_000
    ) {
        self.url = url
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// The keyword/value pairs for `PQconnectdbParams`, processed in order (the last
    /// value of a keyword wins): the defaults come before the URL, so a URL's own
    /// `connect_timeout`, `application_name` or keepalive settings are kept; the
    /// encoding and the session options come after it and always hold.
    /// JIT compilation is off: the planner turns it on for queries it estimates as
    /// costly, and for the service's queries compiling took longer than running (1.5 s
    /// of JIT for a 60 ms monitor query).
    var keywordValuePairs: [(String, String)] {
        var options = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c jit=off"
        if let statementTimeoutMilliseconds {
            options += " -c statement_timeout=\(statementTimeoutMilliseconds)"
        }
        return [
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
            ("dbname", url),
            ("client_encoding", "UTF8"),
            ("options", options),
        ]
    }
}
