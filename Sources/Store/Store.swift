import Logging
import PQ

/// The repositories over one pool.
public struct Store: Sendable {
    public let pool: Pool
    public let organisations: OrganisationStore
    public let salaryScales: SalaryScaleStore
    public let accounts: AccountStore
    public let sessions: SessionStore
    public let loginAttempts: LoginAttemptStore
    public let audit: AuditLogStore
    public let professionals: ProfessionalStore
    public let postings: PostingStore
    public let applications: ApplicationStore
    public let internships: InternshipAgreementStore
    public let apiTokens: ApiTokenStore
    public let flexpool: FlexpoolStore
    public let academy: AcademyStore
    public let monitor: MonitorStore
    public let profiles: ProfileStore
    public let notifications: NotificationStore
    public let dataRights: DataRightsStore
    public let sitemap: SitemapStore
    public let careerPaths: CareerPathStore
    public let rotations: RotationStore
    public let meetings: MeetingStore
    public let credentials: CredentialStore
    public let jobAlerts: JobAlertStore
    public let reminders: ReminderStore
    public let interviews: InterviewStore
    public let learning: LearningNetworkStore
    public let careers: CareerConversationStore
    public let calendars: CalendarFeedStore
    public let schools: SchoolStore

    public init(pool: Pool) {
        self.pool = pool
        organisations = OrganisationStore(db: pool)
        salaryScales = SalaryScaleStore(db: pool)
        accounts = AccountStore(pool: pool)
        sessions = SessionStore(db: pool)
        loginAttempts = LoginAttemptStore(pool: pool)
        audit = AuditLogStore(db: pool)
        professionals = ProfessionalStore(db: pool)
        postings = PostingStore(db: pool)
        applications = ApplicationStore(pool: pool)
        internships = InternshipAgreementStore(db: pool)
        apiTokens = ApiTokenStore(db: pool)
        flexpool = FlexpoolStore(pool: pool)
        academy = AcademyStore(pool: pool)
        monitor = MonitorStore(db: pool, keeps: true)
        profiles = ProfileStore(db: pool)
        notifications = NotificationStore(db: pool)
        dataRights = DataRightsStore(pool: pool)
        sitemap = SitemapStore(pool: pool)
        careerPaths = CareerPathStore(pool: pool)
        rotations = RotationStore(pool: pool)
        meetings = MeetingStore(pool: pool)
        credentials = CredentialStore(pool: pool)
        jobAlerts = JobAlertStore(pool: pool, postings: postings)
        reminders = ReminderStore(pool: pool)
        interviews = InterviewStore(pool: pool)
        learning = LearningNetworkStore(pool: pool)
        careers = CareerConversationStore(pool: pool)
        calendars = CalendarFeedStore(pool: pool)
        schools = SchoolStore(pool: pool)
    }

    /// The last migration applied to the database (0 when none).
    public func schemaVersion() async throws -> Int {
        try await pool.query("SELECT coalesce(max(version), 0) FROM schema_migration").first(decoding: Int.self) ?? 0
    }

    /// The version of everything a visitor can see (migration 0022): it changes with
    /// every statement that changes such a row, on any instance.
    public func contentVersion() async throws -> Int {
        try await pool.query("SELECT last_value FROM content_version").first(decoding: Int.self) ?? 0
    }

    /// The version of everything a visitor can see and of everything the monitor
    /// counts (every table but the technical ones), in one read (migration 0022).
    public func versions() async throws -> (content: Int, figures: Int) {
        try await pool.query(
            "SELECT (SELECT last_value FROM content_version), (SELECT last_value FROM figures_version)"
        ).first(decoding: (Int, Int).self) ?? (0, 0)
    }

    /// Whether the database answers.
    /// How far this database (a streaming replica) is behind its primary, in seconds: 0
    /// when it has replayed everything it received, or when it is a primary itself.
    public func replicaLag() async throws -> Double {
        try await pool.query(
            """
            SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
                        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                        ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9) END::float8
            """
        ).first(decoding: Double.self) ?? 1e9
    }

    public func ping() async throws {
        _ = try await pool.query("SELECT 1")
    }
}
