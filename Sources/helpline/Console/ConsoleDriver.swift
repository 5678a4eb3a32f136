import Dispatch
import Foundation
import HelplinePeer
import HelplineWire
import HelplineWorker

#if canImport(Glibc)
import Glibc
#endif

/// Runs the console: merges keys, offers, worker events, the clock and window changes
/// into one stream, feeds them to the state one at a time, performs its effects on the
/// worker and redraws.
struct ConsoleDriver {
    let worker: HelplineWorker
    let terminal: TerminalMode
    let settings: ConsoleState.Settings
    let bell: Bool
    let colors: Bool

    /// What wakes the console.
    private enum Input: Sendable {
        case key(Key)
        case offer(OfferedTicket)
        case event(WorkerEvent)
        case tick
        case redraw
        case quit
    }

    /// Timers show seconds; twice a second keeps them from visibly skipping.
    static let tickInterval = Duration.milliseconds(500)

    func run() async {
        let (inputs, sink) = AsyncStream.makeStream(of: Input.self)
        let worker = worker
        let offers = Task { for await offer in worker.tickets { sink.yield(.offer(offer)) } }
        let events = Task { for await event in worker.events { sink.yield(.event(event)) } }
        let clock = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tickInterval)
                sink.yield(.tick)
            }
        }
        KeyReader.start(fd: STDIN_FILENO, onKey: { sink.yield(.key($0)) }, onEnd: { sink.yield(.quit) })
        let signals = SignalWatch([SIGWINCH, SIGTERM, SIGHUP, SIGINT]) { number in
            sink.yield(number == SIGWINCH ? .redraw : .quit)
        }
        defer {
            withExtendedLifetime(signals) {}
            [offers, events, clock].forEach { $0.cancel() }
        }
        var state = ConsoleState(settings: settings, now: MonotonicClock.milliseconds())
        draw(state)
        for await input in inputs {
            let now = MonotonicClock.milliseconds()
            let effects: [ConsoleEffect]
            switch input {
            case .key(let key): effects = state.key(key, now: now)
            case .offer(let offer): effects = state.offered(offer, now: now)
            case .event(let event): effects = state.event(event, now: now)
            case .tick: effects = state.tick(now: now)
            case .redraw: effects = []
            case .quit: return
            }
            for effect in effects {
                if effect == .quit { return }
                perform(effect, state: &state)
            }
            draw(state)
        }
    }

    private func perform(_ effect: ConsoleEffect, state: inout ConsoleState) {
        do throws(HelplineWorkerError) {
            switch effect {
            case .accept(let id): try worker.accept(id)
            case .answer(let id, let decision, let option, let body): try worker.answer(id, decision: decision, option: option, body: body)
            case .transfer(let id, let note): try worker.transfer(id, note: note)
            case .decline(let id, let reason): try worker.decline(id, reason: reason)
            case .presence(let presence): try worker.setPresence(presence)
            case .bell: if bell { terminal.write("\u{07}") }
            case .quit: break
            }
        } catch {
            state.note("Not sent: \(error.message)", .bad)
        }
    }

    private func draw(_ state: ConsoleState) {
        let size = terminal.size
        let layout = ConsoleLayout(columns: size.columns, rows: size.rows)
        let rows = ConsoleScreen(state: state, now: MonotonicClock.milliseconds(), layout: layout).rows()
        var frame = ""
        for (index, row) in rows.enumerated() {
            // Every row positioned and drawn to its full width: nothing stale survives a
            // resize, and the last column of the last row never scrolls the screen.
            frame += "\u{1B}[\(index + 1);1H" + row.rendered(width: layout.columns, colors: colors)
        }
        terminal.write(frame)
    }
}
