import Foundation

/// How far a catalogue import may go on its own. A provider's nightly export that
/// lost most of its courses must not withdraw its whole offer and alarm everyone
/// enrolled: an import that would withdraw more than a fifth of the organisation's
/// live courses, or more than ten, changes nothing until a person confirms it.
public enum WithdrawalRule {
    /// More than this many withdrawals always need a confirmation.
    public static let mostWithoutConfirmation = 10

    /// Whether withdrawing `withdrawing` of `live` courses needs a confirmation.
    public static func needsConfirmation(withdrawing: Int, live: Int) -> Bool {
        withdrawing > mostWithoutConfirmation || withdrawing * 5 > live
    }

    /// How long a course withdrawn by an import can be brought back by one action.
    public static let restorableDays = 30

    /// How long a withdrawal must hold before the people enrolled are told (one undone
    /// sooner tells nobody).
    public static let notifyAfter: TimeInterval = 3600

    /// How long an import stays in the log.
    public static let logMonths = 12
}
