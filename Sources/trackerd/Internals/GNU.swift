import Glibc

/// The GNU calls Glibc's Swift module hides (it is built without `_GNU_SOURCE`), looked up once
/// in the C library by name. Called only through the funnel (`systemCall`, `nonBlockingCall`).
enum GNU {
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias EPollCreate1 = @convention(c) (Int32) -> Int32
    typealias EPollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EPollWait = @convention(c) (Int32, UnsafeMutableRawPointer, Int32, Int32) -> Int32

    /// `accept4(2)`: accepts with flags (`SOCK_NONBLOCK | SOCK_CLOEXEC`) set atomically.
    static let accept4: Accept4 = function("accept4")
    /// `pipe2(2)`: a pipe with flags (`O_NONBLOCK | O_CLOEXEC`) set atomically.
    static let pipe2: Pipe2 = function("pipe2")
    /// `epoll_create1(2)`, `epoll_ctl(2)`, `epoll_wait(2)`: the event loop's readiness (`EPoll`).
    static let epollCreate1: EPollCreate1 = function("epoll_create1")
    static let epollCtl: EPollCtl = function("epoll_ctl")
    static let epollWait: EPollWait = function("epoll_wait")

    private static func function<F>(_ name: String) -> F {
        guard let symbol = dlsym(nil, name) else { preconditionFailure("the C library has no \(name)") }
        return unsafeBitCast(symbol, to: F.self)
    }
}
