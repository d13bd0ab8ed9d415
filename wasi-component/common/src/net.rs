//! TCP on `wasi:sockets`, for IPv4 and IPv6, with the peer's address as a typed
//! [`SocketAddr`]. wstd 0.6's own stream gives the peer only as debug text and cannot
//! connect over IPv6, so the components use these; the byte streams are wstd's, so
//! everything that reads and writes (`AsyncRead`, `AsyncWrite`) works unchanged.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use wasip2::sockets::instance_network::instance_network;
use wasip2::sockets::network::{ErrorCode, Ipv4SocketAddress, Ipv6SocketAddress};
use wasip2::sockets::tcp::{IpAddressFamily, IpSocketAddress, ShutdownType, TcpSocket};
use wasip2::sockets::tcp_create_socket::create_tcp_socket;
use wstd::io::{AsyncInputStream, AsyncOutputStream, AsyncPollable, AsyncRead, AsyncWrite};

/// A listening socket.
#[derive(Debug)]
pub struct TcpListener {
    // The pollable is a child of the socket: it must be dropped first.
    pollable: AsyncPollable,
    socket: TcpSocket,
}

impl TcpListener {
    /// Binds and listens on `address`.
    pub async fn bind(address: SocketAddr) -> io::Result<Self> {
        let socket = create_tcp_socket(family(address)).map_err(error)?;
        socket
            .start_bind(&instance_network(), to_wasi(address))
            .map_err(error)?;
        let pollable = AsyncPollable::new(socket.subscribe());
        pollable.wait_for().await;
        socket.finish_bind().map_err(error)?;
        socket.start_listen().map_err(error)?;
        pollable.wait_for().await;
        socket.finish_listen().map_err(error)?;
        Ok(Self { pollable, socket })
    }

    /// The address bound (with the port the system chose for port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_address().map(from_wasi).map_err(error)
    }

    /// The next connection.
    pub async fn accept(&self) -> io::Result<TcpStream> {
        loop {
            self.pollable.wait_for().await;
            match self.socket.accept() {
                Ok((socket, input, output)) => return Ok(TcpStream::new(socket, input, output)),
                Err(ErrorCode::WouldBlock) => {}
                Err(code) => return Err(error(code)),
            }
        }
    }
}

/// A connected socket and its two byte streams.
pub struct TcpStream {
    // The streams are children of the socket: they must be dropped first.
    input: AsyncInputStream,
    output: AsyncOutputStream,
    socket: TcpSocket,
}

// The streams have no `Debug`; the addresses say which connection this is.
impl std::fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpStream")
            .field("local", &self.socket.local_address().map(from_wasi).ok())
            .field("peer", &self.peer_addr().ok())
            .finish()
    }
}

impl TcpStream {
    fn new(
        socket: TcpSocket,
        input: wasip2::io::streams::InputStream,
        output: wasip2::io::streams::OutputStream,
    ) -> Self {
        Self {
            input: AsyncInputStream::new(input),
            output: AsyncOutputStream::new(output),
            socket,
        }
    }

    /// A connection to `address`, IPv4 or IPv6.
    pub async fn connect(address: SocketAddr) -> io::Result<Self> {
        let socket = create_tcp_socket(family(address)).map_err(error)?;
        socket
            .start_connect(&instance_network(), to_wasi(address))
            .map_err(error)?;
        let pollable = AsyncPollable::new(socket.subscribe());
        let (input, output) = loop {
            match socket.finish_connect() {
                Ok(streams) => break streams,
                Err(ErrorCode::WouldBlock) => pollable.wait_for().await,
                Err(code) => return Err(error(code)),
            }
        };
        drop(pollable);
        Ok(Self::new(socket, input, output))
    }

    /// The peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.remote_address().map(from_wasi).map_err(error)
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        let _ = self.socket.shutdown(ShutdownType::Both);
    }
}

impl AsyncRead for &TcpStream {
    async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.input.read(buffer).await.map_err(tidy)
    }

    fn as_async_input_stream(&self) -> Option<&AsyncInputStream> {
        Some(&self.input)
    }
}

impl AsyncWrite for &TcpStream {
    async fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.output.write(bytes).await.map_err(tidy)
    }

    async fn flush(&mut self) -> io::Result<()> {
        self.output.flush().await.map_err(tidy)
    }

    fn as_async_output_stream(&self) -> Option<&AsyncOutputStream> {
        Some(&self.output)
    }
}

fn family(address: SocketAddr) -> IpAddressFamily {
    match address {
        SocketAddr::V4(_) => IpAddressFamily::Ipv4,
        SocketAddr::V6(_) => IpAddressFamily::Ipv6,
    }
}

fn to_wasi(address: SocketAddr) -> IpSocketAddress {
    match address {
        SocketAddr::V4(v4) => {
            let [a, b, c, d] = v4.ip().octets();
            IpSocketAddress::Ipv4(Ipv4SocketAddress {
                port: v4.port(),
                address: (a, b, c, d),
            })
        }
        SocketAddr::V6(v6) => {
            let [a, b, c, d, e, f, g, h] = v6.ip().segments();
            IpSocketAddress::Ipv6(Ipv6SocketAddress {
                port: v6.port(),
                flow_info: v6.flowinfo(),
                address: (a, b, c, d, e, f, g, h),
                scope_id: v6.scope_id(),
            })
        }
    }
}

fn from_wasi(address: IpSocketAddress) -> SocketAddr {
    match address {
        IpSocketAddress::Ipv4(Ipv4SocketAddress {
            port,
            address: (a, b, c, d),
        }) => SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(a, b, c, d), port)),
        IpSocketAddress::Ipv6(Ipv6SocketAddress {
            port,
            flow_info,
            address: (a, b, c, d, e, f, g, h),
            scope_id,
        }) => SocketAddr::V6(SocketAddrV6::new(
            Ipv6Addr::new(a, b, c, d, e, f, g, h),
            port,
            flow_info,
            scope_id,
        )),
    }
}

use io::ErrorKind as Kind;

/// Each socket error code, the name the host's error text starts with, and the
/// `std::io` kind that names it, where std has one.
const ERRORS: [(ErrorCode, &str, Option<Kind>); 21] = [
    (ErrorCode::Unknown, "Unknown", None),
    (
        ErrorCode::AccessDenied,
        "AccessDenied",
        Some(Kind::PermissionDenied),
    ),
    (
        ErrorCode::NotSupported,
        "NotSupported",
        Some(Kind::Unsupported),
    ),
    (
        ErrorCode::InvalidArgument,
        "InvalidArgument",
        Some(Kind::InvalidInput),
    ),
    (
        ErrorCode::OutOfMemory,
        "OutOfMemory",
        Some(Kind::OutOfMemory),
    ),
    (ErrorCode::Timeout, "Timeout", Some(Kind::TimedOut)),
    (ErrorCode::ConcurrencyConflict, "ConcurrencyConflict", None),
    (ErrorCode::NotInProgress, "NotInProgress", None),
    (ErrorCode::WouldBlock, "WouldBlock", Some(Kind::WouldBlock)),
    (ErrorCode::InvalidState, "InvalidState", None),
    (ErrorCode::NewSocketLimit, "NewSocketLimit", None),
    (
        ErrorCode::AddressNotBindable,
        "AddressNotBindable",
        Some(Kind::AddrNotAvailable),
    ),
    (
        ErrorCode::AddressInUse,
        "AddressInUse",
        Some(Kind::AddrInUse),
    ),
    (
        ErrorCode::RemoteUnreachable,
        "RemoteUnreachable",
        Some(Kind::HostUnreachable),
    ),
    (
        ErrorCode::ConnectionRefused,
        "ConnectionRefused",
        Some(Kind::ConnectionRefused),
    ),
    (
        ErrorCode::ConnectionReset,
        "ConnectionReset",
        Some(Kind::ConnectionReset),
    ),
    (
        ErrorCode::ConnectionAborted,
        "ConnectionAborted",
        Some(Kind::ConnectionAborted),
    ),
    (ErrorCode::DatagramTooLarge, "DatagramTooLarge", None),
    (ErrorCode::NameUnresolvable, "NameUnresolvable", None),
    (
        ErrorCode::TemporaryResolverFailure,
        "TemporaryResolverFailure",
        None,
    ),
    (
        ErrorCode::PermanentResolverFailure,
        "PermanentResolverFailure",
        None,
    ),
];

/// The socket error as `std::io` names it (`connection refused`), so it reads the same
/// in logs and stays recognisable; codes without a std name keep WASI's, in words.
fn error(code: ErrorCode) -> io::Error {
    match ERRORS.iter().find(|(known, ..)| *known == code) {
        Some((_, _, Some(kind))) => (*kind).into(),
        _ => io::Error::other(code.message()),
    }
}

/// A stream error as one line. wstd gives a failed read or write as the host's debug
/// text of the error, which starts with the socket error's name (`ConnectionReset`)
/// and, when the host runs with `RUST_BACKTRACE` set, goes on with a whole wasmtime
/// backtrace. What matters is that first line: as the socket error it names, or as it
/// stands.
fn tidy(error: io::Error) -> io::Error {
    if error.kind() != Kind::Other {
        return error;
    }
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default().trim();
    match ERRORS.iter().find(|(_, name, _)| *name == first) {
        Some((code, ..)) => self::error(*code),
        None => io::Error::other(first.to_owned()),
    }
}
