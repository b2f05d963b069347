import Foundation
import Hummingbird
import Larder

/// An error as Feast's clients expect it: always a JSON body. Feast's typed errors (an unknown
/// view or service) are a JSON *string* holding `{"module", "class", "message"}`, which Feast's
/// SDK turns back into its own exception class; the others are `{"detail": message}`, as
/// FastAPI writes them.
struct ServerError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let body: Data

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Feast's typed error: the class name its SDK raises, and its message.
    static func typed(_ status: HTTPResponse.Status, class name: String, _ message: String) -> ServerError {
        let inner = (try? JSONSerialization.data(withJSONObject: ["module": "feast.errors", "class": name, "message": message], options: [.sortedKeys])) ?? Data()
        let outer = (try? JSONEncoder().encode(String(decoding: inner, as: UTF8.self))) ?? Data("\"\"".utf8)
        return ServerError(status: status, body: outer)
    }

    static func detail(_ status: HTTPResponse.Status, _ message: String) -> ServerError {
        ServerError(status: status, body: (try? JSONEncoder().encode(["detail": message])) ?? Data())
    }

    /// The answer to an error the store raised: Feast's typed 404s for unknown views and
    /// services, 422 for what the request got wrong, 500 (with the message, never a trace) else.
    static func from(_ error: any Error) -> ServerError {
        if let error = error as? ServerError { return error }
        // A pushed row the store cannot take: which row and column, and why.
        if let error = error as? SourceError { return .detail(.unprocessableContent, error.description) }
        guard let error = error as? LarderError else {
            return .detail(.internalServerError, "\(error)")
        }
        switch error {
        case .unknownView(let name, _, _):
            return .typed(.notFound, class: "FeatureViewNotFoundException", "Feature view \(name) does not exist")
        case .unknownService(let name, _):
            return .typed(.notFound, class: "FeatureServiceNotFoundException", "Feature service \(name) does not exist")
        case .unknownFeature, .keyTypeMismatch, .missingJoinKey, .ambiguousFeatureNames, .invalidArgument:
            return .detail(.unprocessableContent, error.description)
        case .unknownSnapshot:
            return .detail(.notFound, error.description)
        case .pushSourceMaterialized:
            return .detail(.unprocessableContent, error.description)
        case .runInProgress:
            return .detail(.conflict, error.description)
        default:
            return .detail(.internalServerError, error.description)
        }
    }
}
