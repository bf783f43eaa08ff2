import Hummingbird

/// `/academie/formaat`: the catalogue format described on the site itself, for the
/// providers' staff who fill a file, with templates to download (CSV and JSON,
/// `web/static/sjablonen/`). docs/academy-format.md is the same for developers.
struct CatalogueFormatController: RouteCollection {
    let views: Views

    struct FormatPage: Sendable {
        let chrome: Chrome
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/academie/formaat", use: format)
    }

    /// GET /academie/formaat
    @Sendable func format(_ request: Request, context: AppRequestContext) async throws -> Response {
        try views.page(.catalogueFormat, FormatPage(chrome: Chrome(title: "Het catalogusformaat", context: context, path: "/academie")))
    }
}
