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
        swiftImmortalize(Unmanaged.passUnretained(object).toOpaque())
    }

    /// Marks the storage of `array` immortal: iterating an array retains and releases it.
    ///
    /// An empty array has no storage of its own. Where arrays can be bridged (Objective-C
    /// platforms) this does nothing.
    static func mark<Element>(array: [Element]) {
        #if !canImport(ObjectiveC)
            // Without bridging an array is one reference, to its storage object.
            guard array.capacity > 0 else { return }
            mark(unsafeBitCast(array, to: AnyObject.self))
        #endif
    }
}

@_silgen_name("_swift_stdlib_immortalize")
private func swiftImmortalize(_ object: UnsafeMutableRawPointer)
