import Foundation
import Glibc
import Testing
@testable import Events

/// Files the daemon creates for a caller are never opened through a link: the directory helpers
/// (`openat`, `mkdirat`, `O_EXCL | O_NOFOLLOW`) and the backup built on them.
@Suite struct BackupTargetTests {
    @Test("a file is created only where nothing has its name: a planted link is refused, not followed")
    func createRefusesLinks() throws {
        try withTemporaryDirectory { dir in
            let victim = dir.appending("victim")
            RawFile.write(victim, Array("keep\n".utf8))
            #expect(symlink(victim, dir.appending("planted")) == 0)
            let directory = try DirectoryDescriptor.open(dir.path)
            defer { directory.close() }
            #expect(throws: Errno.exists) { try directory.createFile("planted").close() }
            #expect(throws: Errno.exists) { try directory.makeDirectory("planted") }
            #expect(throws: (any Error).self) { try directory.openDirectory("planted").close() }
            #expect(directory.isSymbolicLink("planted"))
            // A new name works, and renaming onto an existing one is refused.
            let fd = try directory.createFile("new")
            fd.close()
            #expect(throws: Errno.exists) { try directory.renameNoReplace("new", to: "planted") }
            try directory.renameNoReplace("new", to: "renamed")
            #expect(try directory.names().sorted() == ["planted", "renamed", "victim"])
            #expect(RawFile.read(victim) == Array("keep\n".utf8))
        }
    }

    @Test("the directory itself is opened without following a link")
    func openRefusesALinkedDirectory() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir.appending("real"), withIntermediateDirectories: false)
            #expect(symlink(dir.appending("real"), dir.appending("link")) == 0)
            #expect(throws: (any Error).self) { try DirectoryDescriptor.open(dir.appending("link")).close() }
            try DirectoryDescriptor.openFollowing(dir.appending("link")).close()
        }
    }

    @Test("a file written atomically replaces a planted temporary link instead of writing through it")
    func atomicWriteIgnoresPlantedTemporary() throws {
        try withTemporaryDirectory { dir in
            let victim = dir.appending("victim")
            RawFile.write(victim, Array("keep\n".utf8))
            #expect(symlink(victim, dir.appending("file.tmp")) == 0)
            try FileSystem.writeFileAtomically(dir.appending("file"), Array("new\n".utf8))
            #expect(RawFile.read(dir.appending("file")) == Array("new\n".utf8))
            #expect(RawFile.read(victim) == Array("keep\n".utf8))
        }
    }

    /// A closed store of the sample's first events.
    func store(_ dir: TemporaryDirectory) throws -> (StoreLayout, LogPosition) {
        let directory = dir.appending("store")
        try writeClosedStore(directory, events: Sample.events(count: 20))
        let (store, _) = try LogStore.openInTest(directory: directory, options: testOptions())
        defer { store.close() }
        return (StoreLayout(directory: directory), store.head)
    }

    @Test("a backup goes into a new directory, or an empty one of this user; anything else is refused and nothing outside it changes")
    func backupTargets() throws {
        try withTemporaryDirectory { dir in
            let (layout, head) = try store(dir)
            let segment = segmentPath(layout.directory)
            let before = RawFile.read(segment)
            // New: made, and a store of its own.
            let report = try LogBackup.copy(from: layout, through: head, to: dir.appending("new"), recordedAt: Sample.time)
            #expect(report.head == head)
            #expect(LogVerifier.verify(directory: dir.appending("new")).problem == nil)
            #expect(FileManager.default.fileExists(atPath: dir.appending("new/BACKUP")))
            // Planted, not empty, a link, a file, inside the store's log: refused.
            try FileManager.default.createDirectory(atPath: dir.appending("planted"), withIntermediateDirectories: false)
            #expect(symlink(segment, dir.appending("planted/BACKUP.tmp")) == 0)
            #expect(symlink(dir.appending("new"), dir.appending("link")) == 0)
            RawFile.write(dir.appending("file"), [])
            for (target, code, words) in [(dir.appending("planted"), TrackerError.Code.conflict, "is not empty (it holds BACKUP.tmp)"),
                                          (dir.appending("new"), .conflict, "already holds a log"),
                                          (dir.appending("link"), .invalidArgument, "is a symbolic link"),
                                          (dir.appending("file"), .invalidArgument, "is not a directory"),
                                          (layout.log + "/00000000000000000100.ndjson", .invalidArgument, "inside the store's own"),
                                          ("relative", .invalidArgument, "absolute path")] {
                let error = trackerError { _ = try LogBackup.copy(from: layout, through: head, to: target, recordedAt: Sample.time) }
                #expect(error?.code == code, "\(target): \(String(describing: error))")
                #expect(error?.message.contains(words) == true, "\(target): \(String(describing: error))")
            }
            #expect(RawFile.read(segment) == before)
            #expect(!FileManager.default.fileExists(atPath: layout.log + "/00000000000000000100.ndjson"))
            // An empty directory of this user: used as it is.
            try FileManager.default.createDirectory(atPath: dir.appending("empty/"), withIntermediateDirectories: false)
            _ = try LogBackup.copy(from: layout, through: head, to: dir.appending("empty/"), recordedAt: Sample.time)
            #expect(LogVerifier.verify(directory: dir.appending("empty")).problem == nil)
        }
    }

    @Test("a backup that fails midway takes back what it made")
    func failedBackupIsRemoved() throws {
        try withTemporaryDirectory { dir in
            let (layout, head) = try store(dir)
            // A head beyond the segment's data: the copy cannot read it whole.
            var beyond = head
            beyond.offset += 1_000_000
            let error = trackerError { _ = try LogBackup.copy(from: layout, through: beyond, to: dir.appending("partial"), recordedAt: Sample.time) }
            #expect(error?.code == .ioError)
            #expect(!FileManager.default.fileExists(atPath: dir.appending("partial")), "the half-made backup is gone")
        }
    }
}
