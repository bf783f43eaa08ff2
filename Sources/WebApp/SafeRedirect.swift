/// Redirect targets taken from a request (`?next=`) are only followed when they are a
/// path on this site: starting with one "/", no scheme, no host, no backslash.
enum SafeRedirect {
    static func path(_ candidate: String, fallback: String = "/") -> String {
        guard candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.contains("\\"),
            !candidate.contains(where: { $0.isNewline || $0 == "\0" }), candidate.count <= 512
        else { return fallback }
        return candidate
    }
}
