import Hummingbird
import Logging
import ServiceLifecycle
import Store

/// A controller: a struct holding its dependencies that registers its routes, each
/// with a named handler and its group's role requirement.
protocol RouteCollection: Sendable {
    func addRoutes(to router: Router<AppRequestContext>)
}

/// The router with every middleware and controller. Middleware order, outside in:
/// the request metrics (`/metrics`); security headers on every answer; errors turned into pages; static files (no
/// session needed); the session; the CSRF check of state-changing requests; the pages
/// kept for visitors (`VisitorPageCache`). Every
/// GET route answers HEAD too (RFC 9110): the GET's status and headers, no body.
public func buildRouter(store: Store, views: Views, configuration: WebAppConfiguration) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    _ = DoorstroomMetrics.registry
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorPageMiddleware(views: views))
    router.add(middleware: FileMiddleware(configuration.staticFolder, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .text, subType: "css"), [.maxAge(3600)])])))
    router.add(middleware: SessionMiddleware(
        sessions: store.sessions, alwaysSecure: configuration.alwaysSecureCookies, trustForwardedFor: configuration.trustForwardedFor,
        trustedProxies: configuration.trustedProxies))
    router.add(middleware: CSRFMiddleware())
    router.add(middleware: VisitorPageCache(store: store, storage: configuration.pageCache, replica: configuration.readReplica))

    // Every controller, by area; each registers its routes with named handlers.
    let controllers: [any RouteCollection] = [
        HealthController(store: store, schemaVersion: configuration.schemaVersion, replica: configuration.readReplica),
        MetricsController(store: store, token: configuration.metricsToken, allowedAddresses: configuration.metricsFrom),
        HomeController(store: store, views: views), SitemapController(store: store, siteURL: configuration.siteURL),
        AuthController(store: store, views: views, secrets: configuration.secrets), AccountController(store: store, views: views),
        SignUpController(store: store, views: views), PasswordResetController(store: store, views: views),
        AccountSettingsController(store: store, views: views, secrets: configuration.secrets), InvitationController(store: store, views: views),
        AdminController(store: store, views: views), DataRightsController(store: store, views: views),
        // The vacancy bank.
        VacancyController(store: store, views: views, siteURL: configuration.siteURL), MyApplicationsController(store: store, views: views),
        HRPostingController(store: store, views: views), HRApplicationController(store: store, views: views),
        HRInternshipController(store: store, views: views), HRCredentialController(store: store, views: views), JobAlertController(store: store, views: views), CertificateController(store: store, views: views, siteURL: configuration.siteURL), TrainingWishController(store: store, views: views), IntervisionController(store: store, views: views), CareerConversationController(store: store, views: views, siteURL: configuration.siteURL), SchoolController(store: store, views: views), PostingAPIController(store: store, openAPI: views.openAPI),
        // The flexpool.
        FlexpoolMemberController(store: store, views: views, siteURL: configuration.siteURL), FlexpoolCoordinatorController(store: store, views: views),
        // The Jeugd Academie.
        AcademyController(store: store, views: views), HRCourseController(store: store, views: views), HRCourseFormController(store: store, views: views),
        CatalogueFormatController(views: views), AcademyAPIController(store: store, siteURL: configuration.siteURL, contactEmail: configuration.contactEmail),
        // Professionals, careers and the region.
        ProfileController(store: store, views: views), InboxController(store: store, views: views),
        CareerPathController(store: store, views: views), RotationController(store: store, views: views),
        MeetingController(store: store, views: views, siteURL: configuration.siteURL), MonitorController(store: store, views: views),
    ]
    for controller in controllers {
        controller.addRoutes(to: router)
    }
    return router
}

/// The whole web application: templates loaded (failing loudly when one is missing),
/// the router, and the HTTP server on the configured address. `services` (the pool,
/// the background jobs) start before the server and, on a graceful shutdown, stop
/// after it, in reverse order.
public func buildApplication(
    store: Store, configuration: WebAppConfiguration, logger: Logger, services: [any Service] = []
) async throws -> some ApplicationProtocol {
    let views = try await Views(folder: configuration.templatesFolder, openAPIFile: configuration.openAPIFile)
    let router = buildRouter(store: store, views: views, configuration: configuration)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: services,
        logger: logger
    )
}
