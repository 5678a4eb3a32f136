/// Inverted lists that find which worker classes cover a requirement, and which
/// requirements a class covers, without scanning all of either.
///
/// A class is listed under every skill it has; a requirement under its smallest skill
/// number only (it is a candidate for a class exactly when that skill is among the class's).
/// A candidate still needs the superset test: the lists only narrow the search.
struct CoverageIndex: Sendable {
    private var classesWithSkill: [[WorkerClassID]] = Array(repeating: [], count: SkillSet.capacity)
    private var requirementsByFirstSkill: [[RequirementID]] = Array(repeating: [], count: SkillSet.capacity)
    private var requirementsWithoutSkills: [RequirementID] = []
    private var allClasses: [WorkerClassID] = []

    mutating func add(_ workerClass: WorkerClassID, skills: [Int]) {
        allClasses.append(workerClass)
        for skill in skills { classesWithSkill[skill].append(workerClass) }
    }

    mutating func remove(_ workerClass: WorkerClassID, skills: [Int]) {
        Self.remove(workerClass, from: &allClasses)
        for skill in skills { Self.remove(workerClass, from: &classesWithSkill[skill]) }
    }

    mutating func add(_ requirement: RequirementID, skills: [Int]) {
        if let first = skills.min() {
            requirementsByFirstSkill[first].append(requirement)
        } else {
            requirementsWithoutSkills.append(requirement)
        }
    }

    mutating func remove(_ requirement: RequirementID, skills: [Int]) {
        if let first = skills.min() {
            Self.remove(requirement, from: &requirementsByFirstSkill[first])
        } else {
            Self.remove(requirement, from: &requirementsWithoutSkills)
        }
    }

    /// Classes that may cover a requirement needing `skills`: those having its rarest skill
    /// (every class when it needs none).
    func candidateClasses(forRequirementWith skills: [Int]) -> [WorkerClassID] {
        guard let rarest = skills.min(by: { classesWithSkill[$0].count < classesWithSkill[$1].count }) else {
            return allClasses
        }
        return classesWithSkill[rarest]
    }

    /// Requirements a class having `skills` may cover: those needing no skill, and those
    /// whose smallest skill it has.
    func candidateRequirements(forClassWith skills: [Int]) -> [RequirementID] {
        skills.reduce(into: requirementsWithoutSkills) { $0 += requirementsByFirstSkill[$1] }
    }

    /// Lists stay short (one skill's classes) and removals are rare (a class or requirement
    /// freed), so a linear removal that keeps the order deterministic is enough.
    private static func remove<Handle: SlabHandle>(_ handle: Handle, from list: inout [Handle]) {
        guard let index = list.firstIndex(of: handle) else { preconditionFailure("coverage list misses an entry") }
        list.remove(at: index)
    }
}
