/// Turns a typed view model into nested dictionaries and arrays, once per render.
///
/// swift-mustache finds a name in a struct by reflecting over all its fields, again for
/// every `{{name}}` and for every level of the context stack it climbs; a dictionary it
/// reads directly. One reflection pass here makes rendering a long page several times
/// cheaper. Nil optionals are left out (so they are false in sections), everything
/// else keeps its value.
enum RenderModel {
    static func flatten(_ value: Any) -> Any? {
        switch value {
        case is String, is Int, is Bool, is Double, is Substring:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { flatten($0.value) }
        case .struct, .class, .tuple:
            var object: [String: Any] = [:]
            object.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                if let label = child.label, let flattened = flatten(child.value) {
                    object[label] = flattened
                }
            }
            return object
        case .collection, .set:
            return mirror.children.compactMap { flatten($0.value) }
        case .dictionary:
            guard let dictionary = value as? [String: Any] else { return value }
            return dictionary.compactMapValues(flatten)
        default:
            return value
        }
    }
}
