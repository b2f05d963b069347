/// Who may read the files Larder creates: stores, training sets, rejects files, exports.
///
/// Private by default, since training sets and rejects files copy raw source values. The umask
/// can only narrow these modes further.
public enum FileAccess: Sendable, Equatable {
    /// The owner alone: directories `0700`, files `0600`.
    case owner
    /// The owner and the file's group, to share a store or its outputs with a team. A store's
    /// files are group-writable (`0660`, directory `0750`) because every reader writes its slot
    /// in `lock.mdb`; output files are group-readable (`0640`).
    case group

    /// Permissions of a store's directory.
    var storeDirectoryMode: UInt32 { self == .owner ? 0o700 : 0o750 }
    /// Permissions of a store's `data.mdb` and `lock.mdb`.
    var storeFileMode: UInt32 { self == .owner ? 0o600 : 0o660 }
    /// Permissions of a training set, a rejects file or an exported copy's `data.mdb`.
    var outputFileMode: UInt32 { self == .owner ? 0o600 : 0o640 }
}
