import Domain
import Foundation
import Hummingbird
import Store

/// `/api/v1/postings`: the vacancy bank for the organisations' own systems, in English.
/// Reading is public (public postings only); writing needs the organisation's API token
/// (`Authorization: Bearer ds_...`) and touches that organisation's postings only.
struct PostingAPIController: RouteCollection {
    @VisitorReads var store: Store
    let openAPI: ByteBuffer

    struct PostingJSON: Encodable {
        let id: String
        let organisation: String
        let organisation_name: String
        let status: String
        let kind: String
        let title: String
        let function: String?
        let discipline: String?
        let education_level: String?
        let hours_min: Int?
        let hours_max: Int?
        let salary_scale: Int?
        let municipality: String
        let area: String?
        let start_date: String?
        let closing_date: String?
        let places: Int?
        let places_left: Int?
        let description: String
        let contact: String?
        let duo: Bool
        let internal_until: String?
        let street_address: String?
        let postal_code: String?
        let published_at: String?
        let updated_at: String
        let applications: Int
        let url: String

        init(_ p: Posting) {
            let d = p.details
            id = p.id.uuidString.lowercased()
            organisation = p.organisationSlug
            organisation_name = p.organisationName
            status = p.status.rawValue
            kind = d.kind.rawValue
            title = d.title
            function = d.functionCode
            discipline = d.discipline?.rawValue
            education_level = d.educationLevel?.rawValue
            hours_min = d.hoursMin
            hours_max = d.hoursMax
            salary_scale = d.salaryScale
            municipality = d.municipality.rawValue
            area = d.areaSlug
            start_date = d.startDate?.iso
            closing_date = d.closingDate?.iso
            places = d.places
            places_left = p.placesLeft
            description = d.description
            contact = d.contact
            duo = d.duoSuitable
            internal_until = d.internalUntil?.iso
            street_address = d.streetAddress
            postal_code = d.postalCode
            published_at = p.publishedAt?.iso8601
            updated_at = p.updatedAt.iso8601
            applications = p.applicantCount
            url = "/vacatures/" + p.id.uuidString.lowercased()
        }
    }

    struct ListJSON: Encodable {
        let items: [PostingJSON]
        let total: Int
        /// The count stopped at its cap: there are more than `total`.
        let total_capped: Bool
        let page: Int
        let page_size: Int
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1")
            .get("openapi.json", use: openAPIDocument)
            .get("postings", use: list)
            .get("postings/:id", use: show)
            .post("postings", use: create)
            .put("postings/:id", use: update)
    }

    // MARK: - Handlers

    /// GET /api/v1/openapi.json
    @Sendable func openAPIDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPI))
    }

    /// GET /api/v1/postings
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filter = PostingFilter(english: request.queryDictionary)
        let page = try await store.postings.search(filter, viewer: .visitor)
        return try json(ListJSON(items: page.postings.map(PostingJSON.init), total: page.total, total_capped: page.isCapped, page: filter.page, page_size: PostingFilter.pageSize),
                        etagFor: request)
    }

    /// GET /api/v1/postings/:id
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let posting = try await store.postings.find(id: id)
        else { throw HTTPError(.notFound) }
        // Public readers see public, listed postings; a token sees all of its own organisation's.
        if let organisation = try await tokenOrganisation(request), organisation == posting.organisationID {
            return try json(PostingJSON(posting))
        }
        let today = Day(Date())
        guard posting.isOpen(on: today), !posting.isInternal(on: today) else { throw HTTPError(.notFound) }
        return try json(PostingJSON(posting), etagFor: request)
    }

    /// POST /api/v1/postings
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let organisation = try await tokenOrganisation(request) else { throw unauthorized() }
        let (details, status) = try await parse(request, context)
        var posting = try await store.postings.create(details, organisation: organisation, by: nil)
        if let status, status != .draft {
            posting = try await move(posting.id, organisation: organisation, to: status) ?? posting
        }
        var response = try json(PostingJSON(posting), status: .created)
        response.headers[.location] = "/api/v1/postings/" + posting.id.uuidString.lowercased()
        return response
    }

    /// PUT /api/v1/postings/:id
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let organisation = try await tokenOrganisation(request) else { throw unauthorized() }
        let id = try context.parameters.requireID()
        guard try await store.postings.find(id: id, organisation: organisation) != nil
        else { throw HTTPError(.notFound) }
        let (details, status) = try await parse(request, context)
        guard var posting = try await store.postings.update(id, organisation: organisation, details: details) else {
            throw HTTPError(.notFound)
        }
        if let status, status != posting.status {
            posting = try await move(id, organisation: organisation, to: status) ?? posting
        }
        return try json(PostingJSON(posting))
    }

    /// A status change asked for through the API; a move the life cycle does not allow
    /// is an error on the `status` field.
    private func move(_ id: Posting.ID, organisation: Organisation.ID, to status: Posting.Status) async throws -> Posting? {
        do {
            return try await store.postings.setStatus(id, organisation: organisation, to: status, by: nil)
        } catch let refused as Posting.StatusNotAllowed {
            throw ValidationErrors(field: "status", message: refused.message)
        }
    }

    private func unauthorized() -> HTTPError { BearerToken.unauthorized }

    private func tokenOrganisation(_ request: Request) async throws -> Organisation.ID? {
        try await BearerToken.organisation(request, store: store)
    }

    /// Reads a posting from a JSON body: the same fields as the form, in snake_case.
    private func parse(_ request: Request, _ context: AppRequestContext) async throws -> (PostingDetails, Posting.Status?) {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HTTPError(.contentTooLarge)
        }
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(body.readableBytesView)) else {
            throw ValidationErrors(field: "body", message: "Expected a JSON object of strings, numbers and booleans.")
        }
        var values: [String: String] = [:]
        var errors = ValidationErrors()
        for name in PostingDetails.fieldNames {
            switch object[name] {
            case nil, .null?: continue
            case .string(let text)?: values[name] = text
            case .number(let number)?: values[name] = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            case .bool(let flag)?: values[name] = flag ? "true" : ""
            }
        }
        var status: Posting.Status?
        if let raw = object["status"], raw != .null {
            guard case .string(let text) = raw, let parsed = Posting.Status(rawValue: text) else {
                errors.add("status", "One of draft, published, closed, filled.")
                try errors.throwIfAny()
                return (try PostingDetails.parse(.init(values), functionCodes: []), nil)
            }
            status = parsed
        }
        try errors.throwIfAny()
        let codes = Set(try await store.professionals.functions().map(\.code))
        return (try PostingDetails.parse(.init(values), functionCodes: codes), status)
    }

    /// With `etagFor`, a public answer carries an ETag and a request that holds it gets 304.
    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, etagFor request: Request? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let request {
            return Response.conditional(request, body: String(decoding: try encoder.encode(value), as: UTF8.self), contentType: "application/json",
                                        cacheControl: "public, max-age=60")
        }
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// A JSON value of a flat object: the API's posting fields are all scalars.
enum JSONScalar: Decodable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
