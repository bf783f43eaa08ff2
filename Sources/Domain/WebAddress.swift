import Foundation

/// A web address someone gives us (a course's page, an organisation's site or logo):
/// http or https with a host, no spaces, not too long. The database holds the same
/// rule as a CHECK.
public enum WebAddress {
    public static func isValid(_ text: String, httpsOnly: Bool = false, maximumLength: Int = 2048) -> Bool {
        guard text.count <= maximumLength, !text.contains(where: \.isWhitespace), let url = URL(string: text),
              let host = url.host, !host.isEmpty else { return false }
        return httpsOnly ? url.scheme == "https" : url.scheme == "http" || url.scheme == "https"
    }
}
