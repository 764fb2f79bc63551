/// "Did you mean" from a closed set of names, by edit distance.
public enum Suggestion {
    /// The candidate nearest to `word`, if its edit distance is below `maxDistance`; ties go to
    /// the alphabetically first.
    ///
    /// A candidate that differs only in case ranks first.
    public static func nearest(to word: String, in candidates: some Sequence<String>, maxDistance: Int = 4) -> String? {
        var best: (folded: Int, exact: Int, name: String)?
        let lower = word.lowercased()
        for candidate in candidates where candidate != word {
            let folded = editDistance(lower, candidate.lowercased())
            guard folded < maxDistance, folded <= max(1, (word.count + 1) / 3) else { continue }
            let exact = editDistance(word, candidate)
            if let current = best, (folded, exact, candidate) >= (current.folded, current.exact, current.name) { continue }
            best = (folded, exact, candidate)
        }
        return best?.name
    }

    /// `help: did you mean 'x'?` text, or nil.
    public static func help(for word: String, in candidates: some Sequence<String>) -> String? {
        nearest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// Levenshtein distance over characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
