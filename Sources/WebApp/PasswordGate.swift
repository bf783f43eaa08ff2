import Domain
import Foundation
import Hummingbird
import NIOPosix
import Passwords
import Store

/// Every check of something secret a person types (a password at login, before
/// erasure or a password change, a code of the second step) goes through here: it is
/// throttled per account and client address first, then checked off the event loop.
struct PasswordGate: Sendable {
    let store: Store

    enum Outcome: Sendable {
        case passed
        case failed
        /// Too many failures: the answer is 429 with Retry-After.
        case throttled(retryAfterSeconds: Int)
    }

    /// The password of the account with `email`. Unknown accounts, and accounts without
    /// a password, are checked against a decoy hash so that the answer takes as long.
    /// The account whose password it is, when it passed.
    func login(email: String, password: String, client: String) async throws -> (Outcome, account: Account.ID?) {
        switch try await store.loginAttempts.admit(email: email, client: client) {
        case .throttled(let seconds):
            DoorstroomMetrics.loginWasThrottled()
            return (.throttled(retryAfterSeconds: seconds), nil)
        case .allowed(let attempt):
            let credentials = try await store.accounts.credentials(email: email)
            let hash = credentials?.passwordHash ?? PasswordHasher.decoy
            let matches = try await Self.verify(password, against: hash)
            guard let credentials, credentials.passwordHash != nil, matches, !credentials.disabled else {
                DoorstroomMetrics.loginFailed()
                return (.failed, nil)
            }
            try await store.loginAttempts.succeeded(attempt: attempt)
            return (.passed, credentials.id)
        }
    }

    /// The logged-in person's own password, asked again before something weighty.
    func reconfirm(_ account: Account, password: String, client: String) async throws -> Outcome {
        switch try await store.loginAttempts.admit(email: account.email, client: client) {
        case .throttled(let seconds):
            DoorstroomMetrics.loginWasThrottled()
            return .throttled(retryAfterSeconds: seconds)
        case .allowed(let attempt):
            let hash = try await store.accounts.passwordHash(of: account.id) ?? PasswordHasher.decoy
            guard try await Self.verify(password, against: hash) else {
                DoorstroomMetrics.loginFailed()
                return .failed
            }
            try await store.loginAttempts.succeeded(attempt: attempt)
            return .passed
        }
    }

    /// A code of the second step: from the authenticator app (each accepted once) or,
    /// failing that, one of the recovery codes.
    func secondStep(_ account: Account, code: String, secrets: SecretBox, client: String, now: Date = Date()) async throws -> Outcome {
        switch try await store.loginAttempts.admit(email: account.email, client: client) {
        case .throttled(let seconds):
            DoorstroomMetrics.loginWasThrottled()
            return .throttled(retryAfterSeconds: seconds)
        case .allowed(let attempt):
            let state = try await store.accounts.twoStep(of: account.id)
            if let sealed = state.sealedSecret, let secret = try? secrets.open(Array(sealed), associatedData: Self.associatedData(account.id)),
               let step = TOTP(secret: secret).matchingStep(code, at: now, after: state.lastStep.map(Int64.init)),
               try await store.accounts.acceptTwoStepCode(for: account.id, step: Int(step)) {
                try await store.loginAttempts.succeeded(attempt: attempt)
                return .passed
            }
            let typed = code.filter { !$0.isWhitespace }
            if typed.count > TOTP.digits, try await store.accounts.useRecoveryCode(typed, for: account.id) {
                try await store.loginAttempts.succeeded(attempt: attempt)
                return .passed
            }
            DoorstroomMetrics.loginFailed()
            return .failed
        }
    }

    /// What a sealed secret is bound to: its account.
    static func associatedData(_ account: Account.ID) -> [UInt8] {
        Array(account.uuidString.lowercased().utf8)
    }

    static func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { PasswordHasher.verify(password, against: hash) }
    }

    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try PasswordHasher.standard.hash(password) }
    }

    /// A 429 page's headers: when to try again.
    static func throttledResponse(_ response: Response, retryAfter seconds: Int) -> Response {
        var response = response
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    static func waitText(_ seconds: Int) -> String {
        "Te veel mislukte pogingen. Probeer het over \(max(1, (seconds + 59) / 60)) minuten opnieuw."
    }
}
