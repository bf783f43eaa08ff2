import Domain
import Foundation
import PQ

/// What an audit line records. The raw value is what `audit_log.action` holds, and
/// what people and tests search the log for.
public enum AuditAction: String, Sendable, CaseIterable {
    case accountCreate = "account.create"
    case accountDisable = "account.disable"
    case accountEnable = "account.enable"
    case accountErase = "account.erase"
    case accountLogin = "account.login"
    case accountRegister = "account.register"
    case accountConfirmEmail = "account.confirm_email"
    case accountInvite = "account.invite"
    case accountInvitationAccept = "account.invitation_accept"
    case accountPasswordReset = "account.password_reset"
    case accountPasswordChange = "account.password_change"
    case accountLogoutOthers = "account.logout_others"
    case accountTwoStepOn = "account.two_step_on"
    case accountTwoStepOff = "account.two_step_off"
    case accountRecoveryCodeUsed = "account.recovery_code_used"
    case apiTokenCreate = "api_token.create"
    case apiTokenRevoke = "api_token.revoke"
    case applicationView = "application.view"
    case applicationInReview = "application.in_review"
    case applicationInvited = "application.invited"
    case applicationHired = "application.hired"
    case applicationRejected = "application.rejected"
    case applicationSubmitted = "application.submitted"
    case applicationWithdrawn = "application.withdrawn"
    case careerSlot = "career.slot"
    case careerSlotRemove = "career.slot_remove"
    case careerBook = "career.book"
    case careerCancel = "career.cancel"
    case careerStepSave = "career_step.save"
    case careerStepDelete = "career_step.delete"
    case studentSchool = "student.school"
    case consentGive = "consent.give"
    case consentWithdraw = "consent.withdraw"
    case dataExport = "data.export"
    case enrolmentAttended = "academy.attended"
    case enrolmentCompleted = "academy.completed"
    case enrolmentNoShow = "academy.no_show"
    case academyImport = "academy.import"
    case courseRestore = "academy.restore"
    case courseSave = "academy.save"
    case courseWithdraw = "academy.withdraw"
    case flexpoolAccept = "flexpool.accept"
    case flexpoolAllow = "flexpool.allow"
    case flexpoolAssign = "flexpool.assign"
    case flexpoolClaim = "flexpool.claim"
    case flexpoolConfirm = "flexpool.confirm"
    case flexpoolDecline = "flexpool.decline"
    case flexpoolDemand = "flexpool.demand"
    case flexpoolDemandCancel = "flexpool.demand_cancel"
    case flexpoolDemandChange = "flexpool.demand_change"
    case flexpoolDemandUpload = "flexpool.demand_upload"
    case flexpoolForbid = "flexpool.forbid"
    case flexpoolInduction = "flexpool.induction"
    case interviewSlot = "interview.slot"
    case interviewSlotRemove = "interview.slot_remove"
    case interviewBook = "interview.book"
    case interviewCancel = "interview.cancel"
    case wishAnswer = "academy.wish_answer"
    case intervisionGroup = "intervision.group"
    case flexpoolJoin = "flexpool.join"
    case flexpoolLeave = "flexpool.leave"
    case flexpoolLocation = "flexpool.location"
    case flexpoolMatch = "flexpool.match"
    case flexpoolPin = "flexpool.pin"
    case flexpoolUndo = "flexpool.undo"
    case flexpoolUpdate = "flexpool.update"
    case meetingCancel = "meeting.cancel"
    case meetingCreate = "meeting.create"
    case meetingParticipants = "meeting.participants"
    case organisationActivate = "organisation.activate"
    case organisationCreate = "organisation.create"
    case organisationDeactivate = "organisation.deactivate"
    case organisationEdit = "organisation.edit"
    case internshipAgreement = "internship.agreement"
    case salaryScalesReplace = "salary_scales.replace"
    case postingCreate = "posting.create"
    case postingDraft = "posting.draft"
    case postingPublished = "posting.published"
    case postingClosed = "posting.closed"
    case postingFilled = "posting.filled"
    case profileView = "profile.view"
    case retentionApplication = "retention.application"
    case roleGrant = "role.grant"
    case roleRevoke = "role.revoke"
    case rotationApprove = "rotation.approve"
    case rotationReject = "rotation.reject"
}

extension AuditAction {
    /// A posting moved to `status`.
    public static func posting(_ status: Posting.Status) -> AuditAction {
        switch status {
        case .draft: .postingDraft
        case .published: .postingPublished
        case .closed: .postingClosed
        case .filled: .postingFilled
        }
    }

    /// An application moved to `status` by its HR adviser.
    public static func application(_ status: ApplicationStatus) -> AuditAction {
        switch status {
        case .submitted: .applicationSubmitted
        case .inReview: .applicationInReview
        case .invited: .applicationInvited
        case .hired: .applicationHired
        case .rejected: .applicationRejected
        case .withdrawn: .applicationWithdrawn
        }
    }

    /// An enrolment's outcome, recorded by the provider.
    public static func enrolment(_ outcome: EnrolmentStatus) -> AuditAction? {
        switch outcome {
        case .attended: .enrolmentAttended
        case .completed: .enrolmentCompleted
        case .noShow: .enrolmentNoShow
        case .enrolled, .waitlisted, .cancelled: nil
        }
    }
}

/// The object an audit line is about: its kind and its key, written one way (a UUID in
/// lower case, as PostgreSQL prints it; a slug or code as it is).
public struct AuditObject: Sendable, Hashable {
    public let type: String
    public let id: String

    public init(_ type: String, _ id: UUID) {
        self.type = type
        self.id = id.uuidString.lowercased()
    }

    public init(_ type: String, key: String) {
        self.type = type
        self.id = key
    }
}

/// One line of the append-only audit log: who did or viewed what, about whom, and why.
/// Written by the store method that makes the change, on the change's own transaction,
/// so a line exists exactly when its change does.
public struct AuditLine: Sendable {
    public var actor: Account.ID?
    public var action: AuditAction
    public var subject: Account.ID?
    public var object: AuditObject?
    public var reason: String?

    public init(_ action: AuditAction, by actor: Account.ID?, about subject: Account.ID? = nil, object: AuditObject? = nil, reason: String? = nil) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.object = object
        self.reason = reason
    }

    /// Appends the line on `db` (the change's transaction).
    public func write(on db: some Queryable) async throws {
        _ = try await db.query(
            """
            INSERT INTO audit_log (actor_account_id, action, subject_account_id, object_type, object_id, reason)
            VALUES (\(actor), \(action.rawValue), \(subject), \(object?.type), \(object?.id), \(reason))
            """
        )
    }
}

extension Pool {
    /// Runs `change` in a transaction and writes the audit line `line` makes of its
    /// result in the same transaction (none when it returns nil: nothing changed).
    nonisolated func audited<Result>(
        _ change: (Transaction) async throws -> Result, line: (Result) -> AuditLine?
    ) async throws -> Result {
        try await transaction { tx in
            let result = try await change(tx)
            if let line = line(result) { try await line.write(on: tx) }
            return result
        }
    }
}
