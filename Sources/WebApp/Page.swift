/// Every page the service renders, one case per template in `web/templates/pages`.
/// The start-up loads and checks each (`Views.init`), so a missing template stops the
/// start instead of rendering an empty page.
enum Page: String, CaseIterable, Sendable {
    case academy
    case account
    case accountSettings = "account-settings"
    case choosePassword = "choose-password"
    case confirm
    case forgotPassword = "forgot-password"
    case hrCredentials = "hr-credentials"
    case hrRejectionTemplate = "hr-rejection-template"
    case certificateCheck = "certificate-check"
    case courseEvaluation = "course-evaluation"
    case trainingWishes = "training-wishes"
    case intervision = "intervision"
    case intervisionManage = "intervision-manage"
    case careerConversation = "career-conversation"
    case careerConversations = "career-conversations"
    case schoolOverview = "school-overview"
    case mySchool = "my-school"
    case savedPostings = "saved-postings"
    case jobAlerts = "job-alerts"
    case unsubscribe = "unsubscribe"
    case hrInvitations = "hr-invitations"
    case loginCode = "login-code"
    case message
    case recoveryCodes = "recovery-codes"
    case signUp = "sign-up"
    case twoStepSetup = "two-step-setup"
    case adminAccounts = "admin-accounts"
    case adminCareerPaths = "admin-career-paths"
    case adminImports = "admin-imports"
    case adminCareerStep = "admin-career-step"
    case adminMeeting = "admin-meeting"
    case adminMeetings = "admin-meetings"
    case adminOrganisations = "admin-organisations"
    case adminSalaryScales = "admin-salary-scales"
    case course
    case error
    case flexpoolAvailability = "flexpool-availability"
    case flexpoolBoard = "flexpool-board"
    case flexpoolPeople = "flexpool-people"
    case flexpoolLocations = "flexpool-locations"
    case flexpoolInductions = "flexpool-inductions"
    case flexpoolWhatIf = "flexpool-what-if"
    case hrCourseForm = "hr-course-form"
    case hrOfferingForm = "hr-offering-form"
    case catalogueFormat = "catalogue-format"
    case flexpoolDemand = "flexpool-demand"
    case flexpoolMembership = "flexpool-membership"
    case flexpool
    case home
    case hrApiTokens = "hr-api-tokens"
    case hrApplication = "hr-application"
    case hrApplications = "hr-applications"
    case hrCourses = "hr-courses"
    case hrInternships = "hr-internships"
    case hrOffering = "hr-offering"
    case hrPostingForm = "hr-posting-form"
    case hrPostings = "hr-postings"
    case hrProfile = "hr-profile"
    case hrProfiles = "hr-profiles"
    case hrRotations = "hr-rotations"
    case inbox
    case login
    case logout
    case meeting
    case meetings
    case monitor
    case myApplications = "my-applications"
    case myCareer = "my-career"
    case myData = "my-data"
    case myDevelopment = "my-development"
    case myProfile = "my-profile"
    case myRotation = "my-rotation"
    case myShifts = "my-shifts"
    case vacancies
    case vacancy

    /// The template's name in the library.
    var template: String { "pages/" + rawValue }
}
