import Foundation
import Hummingbird

extension Response {
    /// An answer with a strong ETag of its content: a request that already holds it
    /// (`If-None-Match`) gets 304 without the body (RFC 9110, 13.1.2), so feed
    /// readers, calendar apps and caches ask cheaply. `tagOf` is what the tag is
    /// computed from when the body carries a moment of its own (a calendar's DTSTAMP).
    static func conditional(_ request: Request, body: String, tagOf: String? = nil, contentType: String, cacheControl: String) -> Response {
        let tag = "\"" + fingerprint(tagOf ?? body) + "\""
        return conditional(request, body: ByteBuffer(string: body), headers: [.eTag: tag, .cacheControl: cacheControl, .contentType: contentType])
    }

    /// 200 with `body` and `headers`, or 304 without the body when the request holds
    /// the ETag in `headers` (`If-None-Match`, weak or strong, or `*`).
    static func conditional(_ request: Request, body: ByteBuffer, headers: HTTPFields) -> Response {
        if let asked = request.headers[.ifNoneMatch], let tag = headers[.eTag],
           asked == "*" || asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == tag }) {
            var headers = headers
            headers[.contentType] = nil
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// FNV-1a, 64 bits, in hex: the same on every instance (unlike `Hasher`).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
