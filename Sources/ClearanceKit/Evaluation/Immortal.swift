/// Objects that live until the process exits, marked so that the Swift runtime leaves their
/// reference counts alone.
///
/// Two threads checking lines retain and release the same pack objects on every line (register
/// entries, licences, their scopes and holdings, categories, memoized reasons); each of those
/// atomic writes pulled the object's cache line from the other core. Once an object is immortal a
/// retain or release only reads its header: a W1 run on two cores took about 5 % less time with
/// the register entries, scopes and holdings alone marked (measured, `perf stat`).
///
/// Swift has no public API for this; the runtime exports `_swift_stdlib_immortalize` (Swift 5.9
/// and later), which this calls. An immortal object is never freed: mark only what is kept until
/// the process exits (`Evaluator.markSharedObjectsImmortal`).
enum Immortal {
    /// Marks `object` immortal.
    static func mark(_ object: AnyObject) {
        mark(unretained: Unmanaged.passUnretained(object))
    }

    /// Marks the object `unretained` refers to immortal.
    ///
    /// With a reference more, never released: the runtime marks an object by setting the low half
    /// of its count word and its top bit, keeping its strong count, and its release fast path
    /// subtracts from the word and stores the result unless the top bit is still set. Marked at a
    /// strong count of one (its owner's reference alone, as an optimised build often leaves it),
    /// the first release cleared that bit and the object was counted again, atomically, by every
    /// thread (gdb on a W1 run: the register's name table, 18 counts a name resolved).
    static func mark(unretained object: Unmanaged<AnyObject>) {
        _ = object.retain()
        swiftImmortalize(object.toOpaque())
    }

    /// Marks the storage of `array` immortal: iterating an array retains and releases it.
    ///
    /// An empty array has no storage of its own. Where arrays can be bridged (Objective-C
    /// platforms) this does nothing.
    static func mark<Element>(array: [Element]) {
        guard array.capacity > 0 else { return }
        mark(storageOf: array)
    }

    /// Marks the storage of `set` immortal, as `mark(array:)` an array's (the empty set's storage
    /// is shared and left alone).
    static func mark<Element>(set: Set<Element>) {
        guard !set.isEmpty else { return }
        mark(storageOf: set)
    }

    /// Marks the storage object of a collection that is one reference to it.
    private static func mark<Collection>(storageOf collection: Collection) {
        #if !canImport(ObjectiveC)
            // Without bridging an array or a set is one reference, to its storage object.
            guard MemoryLayout<Collection>.size == MemoryLayout<AnyObject>.size else { return }
            mark(unsafeBitCast(collection, to: AnyObject.self))
        #endif
    }

    /// Marks the storage of `string` immortal, when it has storage of its own (`storage(of:)`):
    /// a file name that every record, result or reason holds is retained and released with each.
    static func mark(string: String) {
        if let storage = storage(of: string) { mark(storage) }
    }

    /// The object holding `string`'s bytes, if the string has one of its own: a native string of
    /// more than 15 UTF-8 bytes, made at run time (small strings are held inline, literals are
    /// immortal already).
    ///
    /// Read from the string's two words as the Swift runtime lays them out on 64-bit x86 (stable
    /// since Swift 5): the second is the storage object's address with the string's form in its top
    /// four bits, all zero for a native string of its own. nil on other platforms.
    static func storage(of string: String) -> AnyObject? {
        #if os(Linux) && arch(x86_64)
            let (_, object) = unsafeBitCast(string, to: (UInt64, UInt64).self)
            guard object >> 60 == 0, let address = UnsafeRawPointer(bitPattern: UInt(object)) else { return nil }
            return Unmanaged<AnyObject>.fromOpaque(address).takeUnretainedValue()
        #else
            return nil
        #endif
    }
}

@_silgen_name("_swift_stdlib_immortalize")
private func swiftImmortalize(_ object: UnsafeMutableRawPointer)
