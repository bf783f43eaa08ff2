import Hummingbird
import Logging
import ServiceLifecycle
import Store

/// The router with every middleware and controller. Middleware order, outside in:
/// security headers on every answer; errors turned into pages; static files (no
/// session needed); the session; the CSRF check of state-changing requests.
public func buildRouter(store: Store, views: Views, configuration: WebAppConfiguration) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorPageMiddleware(views: views))
    router.add(middleware: FileMiddleware(configuration.staticFolder, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .text, subType: "css"), [.maxAge(3600)])])))
    router.add(middleware: SessionMiddleware(sessions: store.sessions, alwaysSecure: configuration.alwaysSecureCookies))
    router.add(middleware: CSRFMiddleware())

    HealthController(store: store).addRoutes(to: router)
    HomeController(views: views).addRoutes(to: router)
    AuthController(store: store, views: views).addRoutes(to: router)
    AccountController(store: store, views: views).addRoutes(to: router)
    AdminController(store: store, views: views).addRoutes(to: router)
    VacancyController(store: store, views: views).addRoutes(to: router)
    MyApplicationsController(store: store, views: views).addRoutes(to: router)
    HRPostingController(store: store, views: views).addRoutes(to: router)
    HRApplicationController(store: store, views: views).addRoutes(to: router)
    HRInternshipController(store: store, views: views).addRoutes(to: router)
    PostingAPIController(store: store, openAPI: views.openAPI).addRoutes(to: router)
    FlexpoolMemberController(store: store, views: views).addRoutes(to: router)
    FlexpoolCoordinatorController(store: store, views: views).addRoutes(to: router)
    AcademyAPIController(store: store).addRoutes(to: router)
    HRCourseController(store: store, views: views).addRoutes(to: router)
    AcademyController(store: store, views: views).addRoutes(to: router)
    MonitorController(store: store, views: views).addRoutes(to: router)
    ProfileController(store: store, views: views).addRoutes(to: router)
    InboxController(store: store, views: views).addRoutes(to: router)
    DataRightsController(store: store, views: views).addRoutes(to: router)
    CareerPathController(store: store, views: views).addRoutes(to: router)
    RotationController(store: store, views: views).addRoutes(to: router)
    MeetingController(store: store, views: views).addRoutes(to: router)
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
