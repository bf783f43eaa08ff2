import Domain
import Hummingbird
import Store

/// Per-request state: the session (and so the account), and the parsed form of a
/// state-changing request. Nothing here outlives the request.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: SessionRecord?
    /// The url-encoded form of a POST, parsed once by the CSRF middleware.
    public var form: FormData?
    /// Whether the request came in over https (directly or via a proxy that says so).
    public var isSecure = false

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var account: Account? { session?.account }

    /// Form bodies are small; anything bigger is refused with 413.
    public var maxUploadSize: Int { 1 << 20 }
}
