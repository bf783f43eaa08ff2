import Domain
import Hummingbird

/// Builds `/path?name=value` with percent-encoded values.
struct URLComponentsLite {
    var path: String
    var query: [(String, String)] = []

    var string: String {
        query.isEmpty ? path : path + "?" + encodedQuery
    }

    /// `name=value&…`, percent-encoded.
    var encodedQuery: String {
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
        return query.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Request {
    /// A search form sends every field, also the empty ones; the address without them
    /// (a 302 to it) keeps links short and shareable. Nil when there is none to drop.
    func withoutEmptyParameters() -> Response? {
        let items = uri.queryParameters.map { (String($0.key), String($0.value)) }
        guard items.contains(where: { $0.1.isEmpty }) else { return nil }
        let kept = (uri.query ?? "").split(separator: "&").filter { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[1].isEmpty
        }
        return Response.redirect(to: uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")), type: .found)
    }

    /// How many of these search filters are set (shown on the folded "Filters").
    func activeFilters(_ names: [String]) -> Int {
        names.filter { !(uri.queryParameters[Substring($0)].map(String.init) ?? "").isEmpty }.count
    }
}

/// Links to the previous and next page of a list, keeping its other parameters.
struct Pager: Sendable {
    let previous: String?
    let next: String?
    /// "Pagina 2 van 5", when there is more than one.
    let text: String?

    init(path: String, parameters: [(String, String?)], page: Int, total: Int, pageSize: Int) {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let kept = parameters.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0) } }
        func link(_ page: Int) -> String { URLComponentsLite(path: path, query: kept + (page > 1 ? [("pagina", String(page))] : [])).string }
        previous = page > 1 ? link(page - 1) : nil
        next = page < pages ? link(page + 1) : nil
        text = pages > 1 ? "Pagina \(min(page, pages)) van \(pages)" : nil
    }
}
