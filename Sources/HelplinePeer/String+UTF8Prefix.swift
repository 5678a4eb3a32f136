extension String {
    /// The longest prefix of at most `limit` UTF-8 bytes that ends on a character boundary:
    /// free text cut to a protocol limit (DECLINE `reason`, TRANSFER `note`) stays valid.
    package func prefixUTF8(_ limit: Int) -> String {
        var count = 0
        var end = startIndex
        for index in indices {
            let next = count + self[index].utf8.count
            guard next <= limit else { break }
            count = next
            end = self.index(after: index)
        }
        return String(self[..<end])
    }
}
