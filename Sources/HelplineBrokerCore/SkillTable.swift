/// Interns skill names to small numbers (bit positions of `SkillSet`), with reference counts
/// so a number is reused once no requirement or worker class needs its name any more.
///
/// Without the counts a client asking for random skill names would fill the table for good.
struct SkillTable: Sendable {
    private var numbers: [String: Int] = [:]
    private var names: [String?] = []
    private var references: [Int] = []
    private var freeNumbers: [Int] = []

    /// Distinct names currently interned.
    private(set) var count = 0

    /// The set of the given names if every one is interned; `nil` if any is unknown (then
    /// no requirement or worker class with that set can exist yet).
    func lookUp(_ skillNames: [String]) -> SkillSet? {
        var set = SkillSet()
        for name in skillNames {
            guard let number = numbers[name] else { return nil }
            set.insert(number)
        }
        return set
    }

    /// Takes one reference on each distinct name, interning new ones. Returns the numbers
    /// (sorted, distinct), or `nil` when the table cannot hold the new names; then nothing
    /// was retained.
    mutating func retain(_ skillNames: [String]) -> [Int]? {
        var distinct: [String] = []
        for name in skillNames where !distinct.contains(name) { distinct.append(name) }
        let unknown = distinct.reduce(0) { $0 + (numbers[$1] == nil ? 1 : 0) }
        guard count + unknown <= SkillSet.capacity else { return nil }
        var result: [Int] = []
        result.reserveCapacity(distinct.count)
        for name in distinct {
            let number: Int
            if let known = numbers[name] {
                number = known
            } else {
                number = freeNumbers.popLast() ?? names.count
                if number == names.count {
                    names.append(nil)
                    references.append(0)
                }
                names[number] = name
                numbers[name] = number
                count += 1
            }
            references[number] += 1
            result.append(number)
        }
        return result.sorted()
    }

    /// Drops one reference on each number; a name nobody references is forgotten.
    mutating func release(_ skillNumbers: [Int]) {
        for number in skillNumbers {
            references[number] -= 1
            precondition(references[number] >= 0, "a skill released more often than retained")
            if references[number] == 0, let name = names[number] {
                numbers[name] = nil
                names[number] = nil
                freeNumbers.append(number)
                count -= 1
            }
        }
    }

    /// The name of an interned number.
    func name(of number: Int) -> String {
        guard let name = names[number] else { preconditionFailure("skill \(number) is not interned") }
        return name
    }

    /// References held on `number` (for the invariant checker).
    func referenceCount(of number: Int) -> Int { number < references.count ? references[number] : 0 }
}
