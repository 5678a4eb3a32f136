/// The page's files, compiled into the binary from Assets/ (SwiftPM `.embedInCode`): the
/// console needs nothing beside the `helpline` executable.
enum WebAssets {
    struct Asset {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The asset served at `path`, if any.
    static func asset(at path: String) -> Asset? {
        switch path {
        case "/", "/index.html": Asset(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8")
        case "/console.js": Asset(bytes: PackageResources.console_js, contentType: "text/javascript; charset=utf-8")
        case "/logic.js": Asset(bytes: PackageResources.logic_js, contentType: "text/javascript; charset=utf-8")
        case "/console.css": Asset(bytes: PackageResources.console_css, contentType: "text/css; charset=utf-8")
        default: nil
        }
    }
}
