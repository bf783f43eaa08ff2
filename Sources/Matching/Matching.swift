/// The flexpool matching engine lives here: pure, deterministic, no database.
/// It is built in the flexpool issue; the module exists now so the layering is fixed.
public enum MatchingEngine {
    /// The engine's format version, written into every result file.
    public static let formatVersion = 1
}
