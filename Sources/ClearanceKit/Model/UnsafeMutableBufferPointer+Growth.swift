extension UnsafeMutableBufferPointer {
    /// This buffer's first `count` elements moved into a new one twice its size (at least one
    /// element), this one freed: for storage that grows by doubling (`CSVOrderReader.PlainRecords`,
    /// `PartyResolver.Lookahead`).
    func grown(keeping count: Int) -> UnsafeMutableBufferPointer {
        let larger = UnsafeMutableBufferPointer.allocate(capacity: Swift.max(self.count * 2, 1))
        _ = larger.moveInitialize(fromContentsOf: self[0..<count])
        deallocate()
        return larger
    }
}
