/// The database constraints the stores translate into messages a person understands,
/// by the names their migrations give them. Code names a constraint only through this
/// list; a test checks that each one exists in `pg_constraint` (or, for a unique
/// index, in `pg_class`).
public enum Constraint {
    public static let organisationSlugUnique = "organisation_slug_unique"
    public static let organisationNameUnique = "organisation_name_unique"
    public static let registrationNumberUnique = "registration_number_unique"
    public static let accountEmailUnique = "account_email_key"
    public static let roleGrantOnce = "role_grant_once"
    public static let careerStepOnce = "career_step_once"
    public static let applicationOnce = "application_once"
    public static let postingPlacesKept = "posting_places_kept"
    public static let applicationDuoPosting = "application_duo_posting"
    public static let applicationDuoPartnerOnce = "application_duo_partner_once"
    public static let shiftDemandNotOverfilled = "shift_demand_not_overfilled"
    public static let shiftAssignmentNoOverlap = "shift_assignment_no_overlap"
    public static let shiftAssignmentRest = "shift_assignment_rest"
    public static let shiftAssignmentLiveOnce = "shift_assignment_live_once"
    public static let rotationPartyOneAtATime = "rotation_party_one_at_a_time"
    public static let employmentNoOverlap = "employment_no_overlap"
    public static let enrolmentLiveOnce = "enrolment_live_once"
    public static let eventPlacesKept = "event_places_kept"
    public static let eventRegistrationOnce = "event_registration_once"
    public static let organisationLocationOnce = "organisation_location_once"
    public static let courseCodeOnce = "course_code_once"
    public static let courseOfferingCodeOnce = "course_offering_code_once"
    /// Triggers of 0024 that refuse a live assignment without a credential it needs.
    public static let shiftAssignmentValidVOG = "shift_assignment_valid_vog"
    public static let shiftAssignmentRegistered = "shift_assignment_registered"
    public static let shiftAssignmentInducted = "shift_assignment_inducted"
    public static let poolInductionOnce = "pool_induction_pkey"
    public static let interviewBookingSlotOnce = "interview_booking_slot_once"
    public static let courseEvaluationGivenOnce = "course_evaluation_given_pkey"
    public static let intervisionRequestOpenOnce = "intervision_request_open_once"
    public static let intervisionGroupComposition = "intervision_group_composition"
    public static let careerSlotNoOverlap = "career_slot_no_overlap"
    public static let careerBookingSlotOnce = "career_booking_slot_once"
    /// Triggers of 0030: an internship coordinator's organisation is a school, and a
    /// student's and an agreement's school are schools.
    public static let roleGrantOrganisationKind = "role_grant_organisation_kind"
    public static let studentSchoolKind = "student_school_kind"
    public static let internshipAgreementSchoolKind = "internship_agreement_school_kind"
    /// Triggers of 0033: postings, courses, shifts, employment, tokens, meetings and
    /// agreements belong to a member organisation, never to a school.
    public static let organisationIsMember = "organisation_is_member"

    /// Every name above, for the test that holds them to the schema.
    public static let all = [
        organisationSlugUnique, organisationNameUnique, registrationNumberUnique, accountEmailUnique, roleGrantOnce,
        careerStepOnce, applicationOnce, postingPlacesKept, applicationDuoPosting, applicationDuoPartnerOnce,
        shiftDemandNotOverfilled, shiftAssignmentNoOverlap, shiftAssignmentRest, shiftAssignmentLiveOnce,
        rotationPartyOneAtATime, employmentNoOverlap, enrolmentLiveOnce, eventPlacesKept, eventRegistrationOnce,
        organisationLocationOnce, courseCodeOnce, courseOfferingCodeOnce, shiftAssignmentValidVOG, shiftAssignmentRegistered,
        shiftAssignmentInducted, poolInductionOnce, interviewBookingSlotOnce, courseEvaluationGivenOnce,
        intervisionRequestOpenOnce, intervisionGroupComposition, careerSlotNoOverlap, careerBookingSlotOnce, roleGrantOrganisationKind,
        studentSchoolKind, internshipAgreementSchoolKind, organisationIsMember,
    ]
}
