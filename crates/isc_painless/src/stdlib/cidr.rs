//! `org.elasticsearch.painless.api.CIDR`: an IPv4 or IPv6 range, from
//! `a.b.c.d/n`, `x::y/n` or a single address, and `contains(ip)`.
//! Addresses are read as `InetAddresses.forString` reads them; a range of
//! one family and an address of the other compare in the IPv4-mapped IPv6
//! form, as `CIDRUtils.encode` puts them.

use std::net::IpAddr;
use std::rc::Rc;

use super::{Constructor, Method, Recv, opt_str};
use crate::error::ExceptionKind;
use crate::interp::{R, Runtime, Thrown};
use crate::types::Base;
use crate::value::Val;

/// A `CIDR`: the lowest and highest address of its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cidr {
    lower: Vec<u8>,
    upper: Vec<u8>,
}

/// `new CIDR(String)`.
pub(crate) fn constructor(class: Base, arity: usize) -> Option<Constructor> {
    (class == Base::Cidr && arity == 1).then_some(new_cidr)
}

/// `CIDR.contains(String)`.
pub(crate) fn methods() -> Vec<Method> {
    vec![Method {
        recv: Recv::Cidr,
        name: "contains",
        arity: 1,
        f: contains,
    }]
}

fn new_cidr<'a>(_: &mut Runtime<'a>, args: Vec<Val<'a>>) -> R<Val<'a>> {
    let Some(text) = opt_str(&args, 0)? else {
        return Err(Thrown::new(
            ExceptionKind::NullPointer,
            "Cannot invoke \"String.contains(java.lang.CharSequence)\" because \"cidr\" is null"
                .to_owned(),
        ));
    };
    let cidr = if text.contains('/') {
        let (address, prefix) = parse_cidr(text)?;
        let bytes = octets(address);
        let mut lower = bytes.clone();
        let mut upper = bytes;
        for (i, (lo, up)) in lower.iter_mut().zip(upper.iter_mut()).enumerate() {
            // Bits of this byte inside the prefix.
            let kept = prefix.saturating_sub(i * 8).min(8);
            let mask = if kept == 0 { 0 } else { 0xffu8 << (8 - kept) };
            *lo &= mask;
            *up |= !mask;
        }
        Cidr { lower, upper }
    } else {
        let bytes = octets(for_string(text)?);
        Cidr {
            lower: bytes.clone(),
            upper: bytes,
        }
    };
    Ok(Val::Cidr(Rc::new(cidr)))
}

fn contains<'a>(_: &mut Runtime<'a>, recv: &Val<'a>, args: &mut Vec<Val<'a>>) -> R<Val<'a>> {
    let Val::Cidr(cidr) = recv else {
        return Ok(Val::Bool(false));
    };
    let address = match opt_str(args, 0)? {
        None | Some("") => return Ok(Val::Bool(false)),
        Some(text) => octets(for_string(text)?),
    };
    let within = |address: &[u8], lower: &[u8], upper: &[u8]| lower <= address && address <= upper;
    Ok(Val::Bool(if address.len() == cidr.lower.len() {
        within(&address, &cidr.lower, &cidr.upper)
    } else {
        within(
            &encode(&address),
            &encode(&cidr.lower),
            &encode(&cidr.upper),
        )
    }))
}

/// `InetAddresses.parseCidr`: `address/prefix`, the prefix within the
/// address's bits.
fn parse_cidr(text: &str) -> R<(IpAddr, usize)> {
    let illegal = |message: String| Thrown::new(ExceptionKind::IllegalArgument, message);
    // Java's `split("/")`, which drops trailing empty parts.
    let mut fields: Vec<&str> = text.split('/').collect();
    while fields.last() == Some(&"") {
        fields.pop();
    }
    let [address_text, prefix_text] = fields[..] else {
        return Err(illegal(format!("Expected [ip/prefix] but was [{text}]")));
    };
    let address = for_string(address_text)?;
    if address_text.contains(':') && address.is_ipv4() {
        return Err(illegal(format!(
            "CIDR notation is not allowed with IPv6-mapped IPv4 address [{address_text} as it introduces ambiguity as to whether the prefix length should be interpreted as a v4 prefix length or a v6 prefix length"
        )));
    }
    let prefix = isc_value::java_number::parse_int(prefix_text)
        .map_err(|m| Thrown::new(ExceptionKind::NumberFormat, m))?;
    let bits = octets(address).len() * 8;
    match usize::try_from(prefix) {
        Ok(p) if p <= bits => Ok((address, p)),
        _ => Err(illegal(format!(
            "Illegal prefix length [{prefix}] in [{text}]. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges"
        ))),
    }
}

/// `InetAddresses.forString`, failing as `IllegalArgumentException`.
fn for_string(text: &str) -> R<IpAddr> {
    isc_value::parse_ip_literal(text)
        .map_err(|e| Thrown::new(ExceptionKind::IllegalArgument, e.to_string()))
}

fn octets(address: IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// `CIDRUtils.encode`: an IPv4 address as its IPv4-mapped IPv6 form.
fn encode(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() == 4 {
        let mut mapped = vec![0u8; 10];
        mapped.extend([0xff, 0xff]);
        mapped.extend_from_slice(bytes);
        mapped
    } else {
        bytes.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_mask_the_address_bits() {
        let range = |text: &str| match new_cidr(
            &mut Runtime::new(&crate::compile("1").unwrap().program),
            vec![Val::str(text)],
        ) {
            Ok(Val::Cidr(c)) => (c.lower.clone(), c.upper.clone()),
            _ => panic!("{text}"),
        };
        assert_eq!(
            range("10.1.2.3/8"),
            (vec![10, 0, 0, 0], vec![10, 255, 255, 255])
        );
        assert_eq!(
            range("10.1.2.3/12"),
            (vec![10, 0, 0, 0], vec![10, 15, 255, 255])
        );
        assert_eq!(range("10.1.2.3/0"), (vec![0; 4], vec![255; 4]));
        assert_eq!(range("10.1.2.3"), (vec![10, 1, 2, 3], vec![10, 1, 2, 3]));
    }
}
