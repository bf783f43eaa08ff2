import Domain
import Hummingbird

/// Builds `/path?name=value` with percent-encoded values.
struct URLComponentsLite {
    var path: String
    var query: [(String, String)] = []

    var string: String {
        guard !query.isEmpty else { return path }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        func encode(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                if allowed.contains(byte) {
                    out.unicodeScalars.append(UnicodeScalar(byte))
                } else {
                    out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
                }
            }
            return out
        }
        return path + "?" + query.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
