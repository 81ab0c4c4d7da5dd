/** V8's garbage collector, by the C++ names callgrind and perf report for its functions. */
export const GARBAGE_COLLECTOR_FRAME = /Scaveng|Evacuat|v8::internal::Heap::|Marking|Sweep|Compact|IterateMaybeWeak|IteratePointers|BodyDescriptor|OnMoveEvent|Pretenuring|MemoryChunk|SlotSet|RememberedSet|GCTracer|HeapObject::SizeFromMap|FreeList|PagedSpace|NewSpace|SemiSpace/;
