import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

/// `helpline web`: the console's HTTP server. It serves the page, logs people in (a
/// session cookie), and carries one WebSocket per tab to that person's ``Desk``.
///
/// Routes: `GET /` and the page's files; `POST /api/login` (`{"name","password"}`);
/// `POST /api/logout`; `GET /api/me`; `GET /ws` (the WebSocket; needs the session cookie
/// and this console's own `Origin`).
public struct WebServer: Sendable {
    /// The session cookie's name.
    public static let cookieName = "helpline_session"

    let settings: WebSettings
    let gate: WebGate
    let registry: DeskRegistry
    let origins: OriginPolicy
    let logger: Logger

    /// A server for `users`; refuses settings that must not run (see ``WebSettings/problem``).
    public init(settings: WebSettings, users: [WebUser], logger: Logger = Logger(label: "helpline-web")) throws(WebSetupError) {
        if let problem = settings.problem { throw WebSetupError(problem) }
        self.settings = settings
        self.logger = logger
        gate = WebGate(users: users)
        registry = DeskRegistry(endpoint: settings.endpoint, options: settings.workerOptions, grace: settings.grace)
        origins = OriginPolicy(scheme: settings.usesTLS ? "https" : "http", extra: Set(settings.extraOrigins))
    }

    /// Serves until SIGINT or SIGTERM; `ready` gets the URL once the port is bound.
    public func run(ready: @escaping @Sendable (String) -> Void) async throws {
        let router = Router(context: WebContext.self)
        addPageRoutes(to: router)
        addSessionRoutes(to: router)
        let sockets = Router(context: WebContext.self)
        addWebSocketRoute(to: sockets)
        let base = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: sockets,
            configuration: .init(ws: WebSocketServerConfiguration(maxFrameSize: 1 << 21, autoPing: .enabled(timePeriod: .seconds(20)))))
        let server = try settings.usesTLS ? HTTPServerBuilder.tls(base, tlsConfiguration: tlsConfiguration()) : base
        let scheme = settings.usesTLS ? "https" : "http"
        let host = settings.host.contains(":") && !settings.host.hasPrefix("[") ? "[\(settings.host)]" : settings.host
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in ready("\(scheme)://\(host):\(channel.localAddress?.port ?? settings.port)/") },
            logger: logger)
        try await app.runService()
        await registry.closeAll()
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        guard let certificate = settings.tlsCertificate, let key = settings.tlsKey else { throw WebSetupError("TLS needs a certificate and a key") }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        } catch {
            throw WebSetupError("cannot read the TLS certificate or key: \(error)")
        }
    }

    // MARK: Routes

    private func addPageRoutes(to router: Router<WebContext>) {
        for path in ["/", "/index.html", "/console.js", "/logic.js", "/console.css"] {
            router.get(RouterPath(path)) { _, _ -> Response in
                guard let asset = WebAssets.asset(at: path) else { return Response(status: .notFound) }
                var headers = Self.securityHeaders
                headers[.contentType] = asset.contentType
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
            }
        }
    }

    private func addSessionRoutes(to router: Router<WebContext>) {
        let gate = gate
        let origins = origins
        let secure = settings.usesTLS
        router.post("/api/login") { request, context -> Response in
            guard origins.allows(origin: request.headers[.origin], host: Self.host(of: request)) else {
                return Self.json(.forbidden, ["error": "This page is not the Helpline console's own."])
            }
            struct Login: Decodable { var name: String; var password: String }
            let buffer = try await request.body.collect(upTo: 16_384)
            guard let login = try? JSONDecoder().decode(Login.self, from: Data(buffer: buffer)) else {
                return Self.json(.badRequest, ["error": "Send a name and a password."])
            }
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            switch await gate.login(name: login.name, password: login.password, from: address) {
            case .success(let session):
                var response = Self.json(.ok, ["name": session.user.name])
                response.setCookie(
                    Cookie(name: Self.cookieName, value: session.token, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
                return response
            case .failure(.wrong):
                return Self.json(.unauthorized, ["error": "Wrong name or password."])
            case .failure(.throttled(let seconds)):
                var response = Self.json(.tooManyRequests, ["error": "Too many failed logins. Try again in \(seconds) s."])
                response.headers[.retryAfter] = "\(seconds)"
                return response
            }
        }
        router.post("/api/logout") { request, _ -> Response in
            if let token = request.cookies[Self.cookieName]?.value { await gate.logout(token) }
            var response = Self.json(.ok, [:])
            response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
            return response
        }
        // A WebSocket handshake the upgrade refused lands here, as a plain request: say why.
        router.get("/ws") { request, _ -> Response in
            guard origins.allows(origin: request.headers[.origin], host: Self.host(of: request)) else {
                return Self.json(.forbidden, ["error": "This page is not the Helpline console's own."])
            }
            guard await gate.user(for: request.cookies[Self.cookieName]?.value) != nil else {
                return Self.json(.unauthorized, ["error": "Not logged in."])
            }
            return Self.json(.badRequest, ["error": "Open this with a WebSocket."])
        }
        router.get("/api/me") { request, _ -> Response in
            guard let user = await gate.user(for: request.cookies[Self.cookieName]?.value) else {
                return Self.json(.unauthorized, ["error": "Not logged in."])
            }
            return Self.json(.ok, ["name": user.name, "role": user.workerRole?.rawValue ?? "none"])
        }
    }

    private func addWebSocketRoute(to router: Router<WebContext>) {
        let gate = gate
        let origins = origins
        let registry = registry
        router.ws(
            "/ws",
            shouldUpgrade: { request, _ in
                // Browsers cannot put credentials in a WebSocket handshake but the cookie;
                // the Origin check stops another site's page from riding on that cookie.
                guard origins.allows(origin: request.headers[.origin], host: Self.host(of: request)) else {
                    throw HTTPError(.forbidden, message: "foreign origin")
                }
                guard await gate.user(for: request.cookies[Self.cookieName]?.value) != nil else {
                    throw HTTPError(.unauthorized, message: "not logged in")
                }
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                let token = context.request.cookies[Self.cookieName]?.value
                guard let user = await gate.user(for: token) else { return }
                let attached: (tab: Int, desk: Desk)
                do {
                    attached = try await registry.attach(user)
                } catch {
                    try? await outbound.write(.text(#"{"type":"notice","level":"bad","text":"\#(error)"}"#))
                    return
                }
                let (tab, desk) = attached
                let (lines, sink) = AsyncStream.makeStream(of: String.self)
                await desk.attach(tab, sink)
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await line in lines { try? await outbound.write(.text(line)) }
                    }
                    group.addTask {
                        do {
                            for try await message in inbound.messages(maxSize: 1 << 21) {
                                // A logout in another tab ends this one too.
                                guard await gate.user(for: token) != nil else { break }
                                guard case .text(let text) = message,
                                    let command = try? JSONDecoder().decode(PageCommand.self, from: Data(text.utf8))
                                else { continue }
                                await desk.perform(command, from: tab)
                            }
                        } catch {}
                        sink.finish()
                    }
                }
                await registry.detach(user.name, tab: tab)
            })
    }

    // MARK: Helpers

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        .cacheControl: "no-store",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    static func host(of request: Request) -> String? {
        request.head.authority
    }

    static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let data = (try? JSONEncoder().encode(fields)) ?? Data("{}".utf8)
        var headers = securityHeaders
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
