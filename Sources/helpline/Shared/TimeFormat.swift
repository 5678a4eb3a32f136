/// How the tool writes durations for people.
enum TimeFormat {
    /// "0:07", "12:30", "1:02:03": a clock face for timers that tick.
    static func clock(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        let (hours, minutes, secs) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        let twoDigits = { (value: Int64) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    /// "850 ms", "2.7 s", "3 m 12 s", "2 h 05 m": a span that has passed.
    static func span(milliseconds: Int64) -> String {
        let ms = max(0, milliseconds)
        switch ms {
        case ..<1000: return "\(ms) ms"
        case ..<10_000: return "\(ms / 1000).\(ms % 1000 / 100) s"
        case ..<60_000: return "\(ms / 1000) s"
        case ..<3_600_000: return "\(ms / 60_000) m \(ms / 1000 % 60) s"
        default:
            let minutes = ms / 60_000 % 60
            return "\(ms / 3_600_000) h " + (minutes < 10 ? "0" : "") + "\(minutes) m"
        }
    }
}
