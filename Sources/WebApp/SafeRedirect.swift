/// Redirect targets taken from a request (`?next=`) are only followed when they are a
/// plain path on this site: starting with one "/" (not "//"), with no scheme, no host,
/// no backslash, and no whitespace or control character anywhere (browsers drop a tab
/// or newline, so `/\t/evil.example` would become `//evil.example`).
enum SafeRedirect {
    static func path(_ candidate: String, fallback: String = "/") -> String {
        guard candidate.hasPrefix("/"), !candidate.hasPrefix("//"), candidate.count <= 512,
              !candidate.unicodeScalars.contains(where: { scalar in
                  scalar == "\\" || scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                      || scalar.properties.generalCategory == .format
              })
        else { return fallback }
        return candidate
    }
}
