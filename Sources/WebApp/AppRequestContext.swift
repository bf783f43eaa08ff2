import Domain
import Hummingbird
import NIOCore
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
    /// The session cookie's name (with the `__Host-` prefix behind https).
    public var cookieName = "doorstroom_session"
    /// The client's address, for throttling ("" when unknown).
    public var clientAddress = ""
    /// The socket's peer.
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var account: Account? { session?.account }

    /// Form bodies are small; anything bigger is refused with 413.
    public var maxUploadSize: Int { 1 << 20 }
}
