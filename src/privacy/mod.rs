//! Crypto-shredding: how personal data is erased from an append-only log without touching it.
//!
//! A customer's name and email are stored in their events encrypted (ChaCha20-Poly1305, an
//! authenticated cipher) with a key of their own, kept here, in a key store apart from the log.
//! "Forget customer" deletes the key: every event stays exactly where it was, byte for byte, but
//! nothing can read their personal data again. Every place that shows it opens it through this
//! store, and says "[forgotten]" once the key is gone. A real system keeps the keys in a KMS;
//! here they come from the playground's seeded generator, so that a seed rebuilds the same log.
//!
//! The associated data of each ciphertext is the customer and the field, so a ciphertext copied
//! into another customer's event, or into another field, does not open: it is reported as
//! tampered, as is any changed byte.
//!
//! Email reservations need to find an address without storing it: their streams are named by a
//! blind index, a keyed hash (SipHash-2-4) of the normalised address under a key of the store's.

use crate::kernel::codec::{read_bytes, Decode, Encode};
use crate::kernel::{FastMap, FastSet, SeededRng, StreamId};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::cell::RefCell;
use std::hash::Hasher;
use std::rc::Rc;

/// What every view shows in place of a forgotten customer's data.
pub const FORGOTTEN: &str = "[forgotten]";
/// What every view shows for a customer whose key this store never had (a log imported without its
/// key store).
pub const NO_KEY: &str = "[unreadable: no key for this customer here]";
/// What every view shows in place of a ciphertext that does not open.
pub const TAMPERED: &str = "[unreadable: the ciphertext was tampered with]";

const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

/// A field's value as stored: nonce, ciphertext and authentication tag.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Sealed(Box<[u8]>);

impl std::fmt::Debug for Sealed {
    /// Never the plaintext, which it does not know; only its size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

impl Sealed {
    /// The stored bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Bytes as read from a store (any bytes: opening checks them).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(bytes.into())
    }
}

impl Encode for Sealed {
    fn encode(&self, out: &mut Vec<u8>) {
        crate::kernel::codec::write_varint(out, self.0.len() as u64);
        out.extend_from_slice(&self.0);
    }
}

impl Decode for Sealed {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        read_bytes(input).map(Self::from_bytes)
    }
}

/// Why a sealed value could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// The subject was forgotten: their key is gone for good.
    #[error("{FORGOTTEN}")]
    Forgotten,
    /// The bytes were changed, or belong to another subject or field.
    #[error("{TAMPERED}")]
    Tampered,
    /// The store has no key for the subject and never forgot them: their events came from elsewhere
    /// without their key.
    #[error("{NO_KEY}")]
    NoKey,
}

/// Why a value could not be sealed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// A forgotten subject gets no new key: that would undo the forgetting.
    #[error("{0} was forgotten: their personal data can never be written or read again.")]
    Forgotten(StreamId),
}

/// The per-subject keys, the subjects forgotten, and the blind-index key.
#[derive(Debug)]
pub struct KeyStore {
    keys: FastMap<StreamId, [u8; 32]>,
    forgotten: FastSet<StreamId>,
    index_key: (u64, u64),
    rng: SeededRng,
    /// Opened values by their sealed bytes, so that a view of thousands of rows decrypts each once
    /// (and looks it up without copying anything); purged on forget.
    opened: RefCell<FastMap<Box<[u8]>, Opened>>,
}

/// A value opened before, with whose field it is.
#[derive(Debug)]
struct Opened {
    subject: StreamId,
    field: &'static str,
    text: String,
}

fn aad(subject: &StreamId, field: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(subject.as_str().len() + field.len() + 1);
    out.extend_from_slice(subject.as_str().as_bytes());
    out.push(0);
    out.extend_from_slice(field.as_bytes());
    out
}

impl KeyStore {
    /// An empty store whose keys and nonces are drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = SeededRng::new(seed ^ 0x6B65_7973_746F_7265);
        let index_key = (rng.next_u64(), rng.next_u64());
        Self {
            keys: FastMap::default(),
            forgotten: FastSet::default(),
            index_key,
            rng,
            opened: RefCell::default(),
        }
    }

    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let bytes = self.rng.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    /// Encrypts `plaintext` as `subject`'s `field`, creating the subject's key on first use.
    pub fn seal(
        &mut self,
        subject: &StreamId,
        field: &'static str,
        plaintext: &str,
    ) -> Result<Sealed, SealError> {
        if self.forgotten.contains(subject) {
            return Err(SealError::Forgotten(subject.clone()));
        }
        let key = match self.keys.get(subject) {
            Some(key) => *key,
            None => {
                let mut key = [0u8; 32];
                self.fill(&mut key);
                self.keys.insert(subject.clone(), key);
                key
            }
        };
        let mut nonce = [0u8; NONCE_BYTES];
        self.fill(&mut nonce);
        let cipher = ChaCha20Poly1305::new(&Key::from(key));
        let mut buffer = plaintext.as_bytes().to_vec();
        buffer.reserve(TAG_BYTES);
        // Encrypting into a growable buffer cannot fail.
        if cipher
            .encrypt_in_place(&Nonce::from(nonce), &aad(subject, field), &mut buffer)
            .is_err()
        {
            buffer.clear();
        }
        let mut sealed = Vec::with_capacity(NONCE_BYTES + buffer.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&buffer);
        Ok(Sealed(sealed.into()))
    }

    /// Decrypts `sealed` as `subject`'s `field`.
    pub fn open(
        &self,
        subject: &StreamId,
        field: &'static str,
        sealed: &Sealed,
    ) -> Result<String, Unreadable> {
        let Some(key) = self.keys.get(subject) else {
            return Err(if self.forgotten.contains(subject) {
                Unreadable::Forgotten
            } else {
                Unreadable::NoKey
            });
        };
        if let Some(opened) = self.opened.borrow().get(sealed.as_bytes()) {
            if opened.subject == *subject && opened.field == field {
                return Ok(opened.text.clone());
            }
        }
        let bytes = sealed.as_bytes();
        if bytes.len() < NONCE_BYTES + TAG_BYTES {
            return Err(Unreadable::Tampered);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| Unreadable::Tampered)?;
        let cipher = ChaCha20Poly1305::new(&Key::from(*key));
        let mut buffer = ciphertext.to_vec();
        cipher
            .decrypt_in_place(&Nonce::from(nonce), &aad(subject, field), &mut buffer)
            .map_err(|_| Unreadable::Tampered)?;
        let text = String::from_utf8(buffer).map_err(|_| Unreadable::Tampered)?;
        self.opened.borrow_mut().insert(
            sealed.as_bytes().into(),
            Opened {
                subject: subject.clone(),
                field,
                text: text.clone(),
            },
        );
        Ok(text)
    }

    /// The value as a view shows it: the plaintext, "[forgotten]" or the tampering notice.
    pub fn show(&self, subject: &StreamId, field: &'static str, sealed: &Sealed) -> String {
        self.open(subject, field, sealed)
            .unwrap_or_else(|e| e.to_string())
    }

    /// Deletes `subject`'s key for good; true when they had one. Their events are untouched.
    pub fn forget(&mut self, subject: &StreamId) -> bool {
        let had = self.keys.remove(subject).is_some();
        self.forgotten.insert(subject.clone());
        self.opened
            .borrow_mut()
            .retain(|_, o| o.subject != *subject);
        had
    }

    /// Whether `subject` was forgotten.
    pub fn is_forgotten(&self, subject: &StreamId) -> bool {
        self.forgotten.contains(subject)
    }

    /// How many keys the store holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// How many subjects were forgotten.
    pub fn forgotten_count(&self) -> usize {
        self.forgotten.len()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The blind index of an address (normalised to ASCII lower case first, as emails compare): 16 hex digits that find the
    /// address's reservation without storing the address.
    pub fn blind_index(&self, address: &str) -> String {
        let mut hasher =
            siphasher::sip::SipHasher24::new_with_keys(self.index_key.0, self.index_key.1);
        hasher.write(address.to_ascii_lowercase().as_bytes());
        format!("{:016x}", hasher.finish())
    }
}

/// What a key store holds, as an export carries it: the blind-index key, each subject's key (in
/// order of the subject's name) and the subjects forgotten (whose keys are gone for good).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyMaterial {
    /// The blind index's SipHash key.
    pub index_key: (u64, u64),
    /// Each subject's key, by subject name.
    pub keys: Vec<(StreamId, [u8; 32])>,
    /// The subjects forgotten, by name.
    pub forgotten: Vec<StreamId>,
}

impl KeyStore {
    /// Everything the store holds, in a fixed order (so the same store exports the same bytes).
    pub fn material(&self) -> KeyMaterial {
        let mut keys: Vec<(StreamId, [u8; 32])> =
            self.keys.iter().map(|(s, k)| (s.clone(), *k)).collect();
        keys.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut forgotten: Vec<StreamId> = self.forgotten.iter().cloned().collect();
        forgotten.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        KeyMaterial {
            index_key: self.index_key,
            keys,
            forgotten,
        }
    }

    /// Replaces everything the store holds by `material` (an import), and draws new keys and nonces
    /// from `reseed` on, so that nothing drawn later repeats what the imported keys were drawn from.
    pub fn restore(&mut self, material: KeyMaterial, reseed: u64) {
        self.keys = material.keys.into_iter().collect();
        self.forgotten = material.forgotten.into_iter().collect();
        self.index_key = material.index_key;
        self.rng = SeededRng::new(reseed ^ 0x6B65_7973_746F_7265);
        self.opened.borrow_mut().clear();
    }
}

/// The key store as the domains, read models and processors share it (one per playground).
#[derive(Debug, Clone)]
pub struct Keys(Rc<RefCell<KeyStore>>);

impl Default for Keys {
    /// A store of its own with no key yet (what a projection built on its own opens with: every
    /// sealed value it meets reads as having no key here, never as data).
    fn default() -> Self {
        Self::new(0)
    }
}

impl Keys {
    /// A new store drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(Rc::new(RefCell::new(KeyStore::new(seed))))
    }

    /// See [`KeyStore::seal`].
    pub fn seal(
        &self,
        subject: &StreamId,
        field: &'static str,
        plaintext: &str,
    ) -> Result<Sealed, SealError> {
        self.0.borrow_mut().seal(subject, field, plaintext)
    }

    /// See [`KeyStore::open`].
    pub fn open(
        &self,
        subject: &StreamId,
        field: &'static str,
        sealed: &Sealed,
    ) -> Result<String, Unreadable> {
        self.0.borrow().open(subject, field, sealed)
    }

    /// See [`KeyStore::show`].
    pub fn show(&self, subject: &StreamId, field: &'static str, sealed: &Sealed) -> String {
        self.0.borrow().show(subject, field, sealed)
    }

    /// See [`KeyStore::forget`].
    pub fn forget(&self, subject: &StreamId) -> bool {
        self.0.borrow_mut().forget(subject)
    }

    /// See [`KeyStore::is_forgotten`].
    pub fn is_forgotten(&self, subject: &StreamId) -> bool {
        self.0.borrow().is_forgotten(subject)
    }

    /// See [`KeyStore::blind_index`].
    pub fn blind_index(&self, address: &str) -> String {
        self.0.borrow().blind_index(address)
    }

    /// See [`KeyStore::material`].
    pub fn material(&self) -> KeyMaterial {
        self.0.borrow().material()
    }

    /// See [`KeyStore::restore`].
    pub fn restore(&self, material: KeyMaterial, reseed: u64) {
        self.0.borrow_mut().restore(material, reseed);
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    /// How many subjects were forgotten.
    pub fn forgotten_count(&self) -> usize {
        self.0.borrow().forgotten_count()
    }

    /// Drops every value opened so far (they are opened again when next shown): frees their memory,
    /// and lets a benchmark time cold opens.
    pub fn drop_opened(&self) {
        self.0.borrow().opened.borrow_mut().clear();
    }

    /// True when none is held.
    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> StreamId {
        StreamId::new("customer-1")
    }

    #[test]
    fn given_a_sealed_name_when_opened_then_it_reads_back_and_the_bytes_do_not_show_it() {
        let mut keys = KeyStore::new(7);
        let sealed = keys.seal(&ada(), "name", "Ada Lovelace").expect("seals");
        assert_eq!(
            keys.open(&ada(), "name", &sealed),
            Ok("Ada Lovelace".to_owned())
        );
        assert!(!sealed
            .as_bytes()
            .windows(3)
            .any(|w| w == b"Ada" || w == b"Lov"));
        assert_eq!(sealed.as_bytes().len(), 12 + 12 + 16);
    }

    #[test]
    fn given_a_forgotten_customer_when_opened_then_forgotten_and_no_new_key_is_made() {
        let mut keys = KeyStore::new(7);
        let sealed = keys
            .seal(&ada(), "email", "ada@example.com")
            .expect("seals");
        assert_eq!(keys.show(&ada(), "email", &sealed), "ada@example.com");
        assert!(keys.forget(&ada()));
        assert_eq!(
            keys.open(&ada(), "email", &sealed),
            Err(Unreadable::Forgotten)
        );
        assert_eq!(keys.show(&ada(), "email", &sealed), FORGOTTEN);
        assert_eq!(
            keys.seal(&ada(), "email", "ada@example.com"),
            Err(SealError::Forgotten(ada()))
        );
        assert!(keys.is_empty() && keys.is_forgotten(&ada()));
    }

    #[test]
    fn a_changed_byte_another_subject_or_another_field_is_reported_as_tampered() {
        let mut keys = KeyStore::new(7);
        let sealed = keys.seal(&ada(), "name", "Ada").expect("seals");
        let grace = StreamId::new("customer-2");
        keys.seal(&grace, "name", "Grace").expect("seals");
        for at in [0, 12, sealed.as_bytes().len() - 1] {
            let mut bytes = sealed.as_bytes().to_vec();
            bytes[at] ^= 1;
            let changed = Sealed::from_bytes(&bytes);
            assert_eq!(
                keys.open(&ada(), "name", &changed),
                Err(Unreadable::Tampered)
            );
        }
        assert_eq!(
            keys.open(&grace, "name", &sealed),
            Err(Unreadable::Tampered)
        );
        assert_eq!(
            keys.open(&StreamId::new("customer-9"), "name", &sealed),
            Err(Unreadable::NoKey)
        );
        assert_eq!(
            keys.open(&ada(), "email", &sealed),
            Err(Unreadable::Tampered)
        );
        assert_eq!(
            keys.open(&ada(), "name", &Sealed::from_bytes(b"short")),
            Err(Unreadable::Tampered)
        );
        assert_eq!(
            keys.show(&ada(), "name", &Sealed::from_bytes(b"")),
            TAMPERED
        );
    }

    #[test]
    fn the_same_seed_seals_the_same_bytes_and_blind_indexes_ignore_case() {
        let (mut a, mut b) = (KeyStore::new(3), KeyStore::new(3));
        assert_eq!(a.seal(&ada(), "name", "Ada"), b.seal(&ada(), "name", "Ada"));
        assert_eq!(
            a.blind_index("Ada@Example.com"),
            a.blind_index("ada@example.com")
        );
        assert_ne!(
            a.blind_index("ada@example.com"),
            a.blind_index("grace@example.com")
        );
        assert_ne!(
            KeyStore::new(4).blind_index("ada@example.com"),
            a.blind_index("ada@example.com")
        );
        assert_eq!(a.blind_index("x").len(), 16);
    }
}
