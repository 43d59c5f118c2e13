import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The stylesheet and scripts every platform's pages use, served by the platform itself (pages
/// must work inside a government network with no way out), cacheable by their content's digest.
public enum PageStatic {
  /// File name → (media type, bytes), read once from the module's resources.
  static let files: [String: (type: String, bytes: ByteBuffer, tag: String)] = {
    guard let folder = Bundle.module.url(forResource: "Static", withExtension: nil),
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [:] }
    var files: [String: (String, ByteBuffer, String)] = [:]
    for name in names {
      guard
        let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
      else { continue }
      let type =
        name.hasSuffix(".css")
        ? "text/css; charset=utf-8"
        : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml"
      files[name] = (
        type, ByteBuffer(bytes: data),
        "\"\(Secrets.digest(String(decoding: data, as: UTF8.self)).prefix(16))\""
      )
    }
    return files
  }()

  /// Serves `/static/NAME`.
  public static func add<Context: RequestContext>(to router: Router<Context>) {
    router.get("/static/:name") { request, context -> Response in
      guard let name = context.parameters.get("name"), let file = files[name] else {
        return Response(status: .notFound)
      }
      if request.headers[.ifNoneMatch] == file.tag { return Response(status: .notModified) }
      return Response(
        status: .ok,
        headers: [
          .contentType: file.type, .eTag: file.tag, .cacheControl: "public, max-age=3600",
          HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ], body: .init(byteBuffer: file.bytes))
    }
  }
}
