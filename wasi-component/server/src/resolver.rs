//! DNS lookups for routing and SPF: the core's query bytes sent to the configured resolver over
//! UDP (`wasi:sockets/udp`), and over TCP (RFC 7766) when the answer is truncated. A
//! lookup that gets no usable answer is [`Answer::Failure`]: a temporary failure, never
//! "no records".

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use wasip2::sockets::instance_network::instance_network;
use wasip2::sockets::network::{
    IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress,
};
use wasip2::sockets::udp::OutgoingDatagram;
use wasip2::sockets::udp_create_socket::create_udp_socket;
use wasmtp_core::route::dns::{DnsError, decode_name, query_name};
use wasmtp_core::route::{Answer, Question, RecordKind};
use wasmtp_wasi::net::TcpStream;
use wstd::future::FutureExt as _;
use wstd::io::{AsyncRead, AsyncWrite};
use wstd::runtime::Reactor;

/// How long one try waits for its answer, and how many tries.
const TRY_TIMEOUT: Duration = Duration::from_secs(2);
const TRIES: usize = 3;

/// Asks `resolver` the routing question.
pub async fn lookup(resolver: SocketAddr, question: &Question) -> Answer {
    lookup_name(resolver, &question.owner_name(), question.kind).await
}

/// Asks `resolver` for the `kind` records of `owner` (any name: SPF asks for names such
/// as `_spf.example.com`).
pub async fn lookup_name(resolver: SocketAddr, owner: &str, kind: RecordKind) -> Answer {
    for _ in 0..TRIES {
        let id = (wasip2::random::random::get_random_u64() & 0xffff) as u16;
        let Ok(bytes) = query_name(owner, kind, id) else {
            return Answer::Failure;
        };
        let response = match udp_exchange(resolver, &bytes)
            .timeout(wstd::time::Duration::from(TRY_TIMEOUT))
            .await
        {
            Ok(Some(response)) => response,
            Ok(None) | Err(_) => continue,
        };
        match decode_name(&response, owner, kind, id) {
            Ok(answer) => return answer,
            Err(DnsError::Truncated) => {
                if let Some(answer) = tcp_lookup(resolver, owner, kind).await {
                    return answer;
                }
            }
            // A stray or spoofed datagram: ask again.
            Err(_) => {}
        }
    }
    Answer::Failure
}

fn socket_address(address: SocketAddr) -> IpSocketAddress {
    match address.ip() {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            IpSocketAddress::Ipv4(Ipv4SocketAddress {
                port: address.port(),
                address: (a, b, c, d),
            })
        }
        IpAddr::V6(v6) => {
            let [a, b, c, d, e, f, g, h] = v6.segments();
            IpSocketAddress::Ipv6(Ipv6SocketAddress {
                port: address.port(),
                flow_info: 0,
                address: (a, b, c, d, e, f, g, h),
                scope_id: 0,
            })
        }
    }
}

/// One datagram out, the first datagram back.
async fn udp_exchange(resolver: SocketAddr, bytes: &[u8]) -> Option<Vec<u8>> {
    let reactor = Reactor::current();
    let (family, any) = match resolver.ip() {
        IpAddr::V4(_) => (IpAddressFamily::Ipv4, SocketAddr::from(([0, 0, 0, 0], 0))),
        IpAddr::V6(_) => (IpAddressFamily::Ipv6, SocketAddr::from(([0u16; 8], 0))),
    };
    let socket = create_udp_socket(family).ok()?;
    socket
        .start_bind(&instance_network(), socket_address(any))
        .ok()?;
    reactor.schedule(socket.subscribe()).wait_for().await;
    socket.finish_bind().ok()?;
    let (incoming, outgoing) = socket.stream(Some(socket_address(resolver))).ok()?;
    loop {
        if outgoing.check_send().ok()? > 0 {
            break;
        }
        reactor.schedule(outgoing.subscribe()).wait_for().await;
    }
    let datagram = OutgoingDatagram {
        data: bytes.to_vec(),
        remote_address: None,
    };
    outgoing.send(&[datagram]).ok()?;
    loop {
        if let Some(datagram) = incoming.receive(1).ok()?.into_iter().next() {
            return Some(datagram.data);
        }
        reactor.schedule(incoming.subscribe()).wait_for().await;
    }
}

/// The same question over TCP, each message preceded by its 2-octet length.
async fn tcp_lookup(resolver: SocketAddr, owner: &str, kind: RecordKind) -> Option<Answer> {
    let id = (wasip2::random::random::get_random_u64() & 0xffff) as u16;
    let bytes = query_name(owner, kind, id).ok()?;
    let exchange = async {
        let stream = TcpStream::connect(resolver).await.ok()?;
        let (mut reader, mut writer) = (&stream, &stream);
        let length = u16::try_from(bytes.len()).ok()?.to_be_bytes();
        writer.write_all(&length).await.ok()?;
        writer.write_all(&bytes).await.ok()?;
        writer.flush().await.ok()?;
        let mut length = [0u8; 2];
        read_exact(&mut reader, &mut length).await?;
        let mut response = vec![0; usize::from(u16::from_be_bytes(length))];
        read_exact(&mut reader, &mut response).await?;
        decode_name(&response, owner, kind, id).ok()
    };
    exchange
        .timeout(wstd::time::Duration::from(TRY_TIMEOUT))
        .await
        .ok()
        .flatten()
}

async fn read_exact(reader: &mut impl AsyncRead, buffer: &mut [u8]) -> Option<()> {
    let mut filled = 0;
    while filled < buffer.len() {
        let read = reader.read(buffer.get_mut(filled..)?).await.ok()?;
        if read == 0 {
            return None;
        }
        filled += read;
    }
    Some(())
}
