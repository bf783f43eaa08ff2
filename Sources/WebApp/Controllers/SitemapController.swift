import Foundation
import Hummingbird
import Store

/// `/robots.txt` and `/sitemap.xml` (sitemaps.org 0.9): the public postings one can
/// apply to, the academy's courses and the meetings to come, with their last change;
/// links start with the configured site address. The pages behind a login are not
/// for crawlers.
struct SitemapController: RouteCollection {
    @VisitorReads var store: Store
    let siteURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/robots.txt", use: robots)
        router.get("/sitemap.xml", use: sitemap)
    }

    /// GET /robots.txt
    @Sendable func robots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = """
            User-agent: *
            Disallow: /mijn
            Disallow: /beheer
            Disallow: /flexpool
            Disallow: /monitor
            Disallow: /login
            Disallow: /api/
            Allow: /

            Sitemap: \(siteURL)/sitemap.xml

            """
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// GET /sitemap.xml
    @Sendable func sitemap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entries = try await store.sitemap.entries()
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>\(AtomFeed.escape(siteURL))/</loc></url>
            <url><loc>\(AtomFeed.escape(siteURL))/vacatures</loc></url>
            <url><loc>\(AtomFeed.escape(siteURL))/academie</loc></url>
            <url><loc>\(AtomFeed.escape(siteURL))/ontmoetingen</loc></url>

            """
        for entry in entries {
            let path = switch entry.kind {
            case .posting: "/vacatures/"
            case .course: "/academie/"
            case .meeting: "/ontmoetingen/"
            }
            xml += "<url><loc>\(AtomFeed.escape(siteURL + path + entry.id.lowercased))</loc><lastmod>\(entry.changedAt.iso8601)</lastmod></url>\n"
        }
        xml += "</urlset>\n"
        return Response.conditional(request, body: xml, contentType: "application/xml; charset=utf-8", cacheControl: "public, max-age=3600")
    }
}
