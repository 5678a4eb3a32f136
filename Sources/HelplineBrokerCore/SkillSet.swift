/// A set of interned skills as a fixed-width bitset: eight 64-bit words, no allocation.
///
/// Eligibility is "worker skills ⊇ ticket skills", asked on every index update; with the
/// words inline that test is eight ANDs and compares, and the set hashes as a dictionary key.
struct SkillSet: Hashable, Sendable {
    /// 512 distinct skills broker-wide: a help desk's vocabulary (languages, products,
    /// tiers) is tens to a few hundred words, the benchmark uses 200, and 512 bits
    /// are one cache line. The skill table refuses a 513th name (429).
    static let capacity = 512

    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    private var w4: UInt64 = 0, w5: UInt64 = 0, w6: UInt64 = 0, w7: UInt64 = 0

    /// The empty set: what a ticket without skills needs, what a worker without skills has.
    static let empty = SkillSet()

    init() {}

    /// A set holding the given skill numbers (each below `capacity`).
    init<S: Sequence>(_ skills: S) where S.Element == Int {
        for skill in skills { insert(skill) }
    }

    mutating func insert(_ skill: Int) {
        precondition(skill >= 0 && skill < Self.capacity, "skill numbers come from SkillTable")
        let bit = UInt64(1) << UInt64(skill & 63)
        switch skill >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        case 3: w3 |= bit
        case 4: w4 |= bit
        case 5: w5 |= bit
        case 6: w6 |= bit
        default: w7 |= bit
        }
    }

    func contains(_ skill: Int) -> Bool {
        let bit = UInt64(1) << UInt64(skill & 63)
        switch skill >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        case 3: return w3 & bit != 0
        case 4: return w4 & bit != 0
        case 5: return w5 & bit != 0
        case 6: return w6 & bit != 0
        default: return w7 & bit != 0
        }
    }

    /// Whether every skill of `other` is in this set: a worker with this set may serve a
    /// ticket needing `other`. Branch-free on purpose: it runs in index maintenance loops.
    func isSuperset(of other: SkillSet) -> Bool {
        let missing =
            (other.w0 & ~w0) | (other.w1 & ~w1) | (other.w2 & ~w2) | (other.w3 & ~w3)
            | (other.w4 & ~w4) | (other.w5 & ~w5) | (other.w6 & ~w6) | (other.w7 & ~w7)
        return missing == 0
    }

    var count: Int {
        w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount
            + w4.nonzeroBitCount + w5.nonzeroBitCount + w6.nonzeroBitCount + w7.nonzeroBitCount
    }

    var isEmpty: Bool { (w0 | w1 | w2 | w3 | w4 | w5 | w6 | w7) == 0 }
}
