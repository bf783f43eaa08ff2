/// Failures the stores report in the field's own words; database faults stay `PostgresError`.
public enum StoreError: Error, Sendable, Equatable {
    case notFound
}
