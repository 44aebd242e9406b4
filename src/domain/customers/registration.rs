//! Commands that write two kinds of stream: registering (reserve the address, then record the
//! customer) and changing an email (reserve the new address, record the change, release the old one).
//!
//! The store appends atomically to one stream at a time, as KurrentDB does, so a flow over two streams
//! orders its appends so that a failure can be undone: the reservation comes first (it is where a race
//! is decided), the customer's event second, and if that one is refused the reservation is released
//! again. Nothing is left half-written: every reserved address belongs to a customer who has it.

use super::customer::{Customer, CustomerCommand, CustomerError, CustomerEvent};
use super::email::Email;
use super::name::CustomerName;
use super::reservation::{
    reservation_stream, EmailReservation, ReservationCommand, ReservationError, ReservationEvent,
};
use crate::kernel::{
    CommandError, CommandMeta, Decision, EventStore, ExpectedVersion, Position, Repository,
    StreamId,
};
use crate::privacy::{Keys, Sealed};
use std::ops::RangeInclusive;

/// Why registering or changing an email was refused. Nothing was left half-written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// The customer refused (already registered, deactivated, same email, …).
    #[error("{0}")]
    Customer(#[from] CustomerError),
    /// Another customer holds the address.
    #[error("Email already registered: {email} belongs to {holder}. Each customer needs an address of their own.")]
    EmailAlreadyRegistered {
        /// The address, as typed.
        email: String,
        /// Who holds it.
        holder: StreamId,
    },
    /// Someone else wrote to the same streams meanwhile; nothing was written.
    #[error("Concurrency conflict: {0}; nothing was written. Try again.")]
    Conflict(String),
    /// The store refused an append.
    #[error("{0}")]
    Store(String),
}

/// A registration decided against the streams as they were read: the address was free then.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRegistration {
    customer: StreamId,
    email: Email,
    reservation: StreamId,
    reserve: Decision<ReservationEvent>,
    register: Decision<CustomerEvent>,
}

impl PreparedRegistration {
    /// The customer being registered.
    pub fn customer(&self) -> &StreamId {
        &self.customer
    }
}

/// The customers' two repositories (customers and email reservations) and the key store that seals
/// and opens their personal data.
#[derive(Debug)]
pub struct CustomerService {
    /// Customer streams (`customer-N`).
    pub customers: Repository<Customer>,
    /// Reservation streams (`email-<blind index>`).
    pub reservations: Repository<EmailReservation>,
    /// The customers' keys.
    pub keys: Keys,
}

fn taken(error: ReservationError, email: &Email) -> RegistrationError {
    match error {
        ReservationError::Taken { holder } => RegistrationError::EmailAlreadyRegistered {
            email: email.to_string(),
            holder,
        },
        other => RegistrationError::Store(other.to_string()),
    }
}

fn span(a: &RangeInclusive<Position>, b: &RangeInclusive<Position>) -> RangeInclusive<Position> {
    let start = if a.is_empty() { *b.start() } else { *a.start() };
    let end = if b.is_empty() { *a.end() } else { *b.end() };
    start..=end
}

impl CustomerService {
    /// Both repositories over `store`, sealing with `keys`.
    pub fn new(store: &mut EventStore, snapshot_every: u64, keys: Keys) -> Self {
        Self {
            customers: Repository::new(store, snapshot_every),
            reservations: Repository::new(store, snapshot_every),
            keys,
        }
    }

    fn seal(
        &self,
        customer: &StreamId,
        field: &'static str,
        text: &str,
    ) -> Result<Sealed, RegistrationError> {
        self.keys
            .seal(customer, field, text)
            .map_err(|_| RegistrationError::Customer(CustomerError::Forgotten))
    }

    fn refuse_forgotten(&self, customer: &StreamId) -> Result<(), RegistrationError> {
        if self.keys.is_forgotten(customer) {
            return Err(RegistrationError::Customer(CustomerError::Forgotten));
        }
        Ok(())
    }

    /// The reservation stream of `email`.
    pub fn reservation_of(&self, email: &Email) -> StreamId {
        reservation_stream(&self.keys.blind_index(email.as_str()))
    }

    /// Forgets `customer`: deletes their key, so that none of their personal data can be read
    /// again. Appends nothing: every event stays exactly as it was. The address they held is free
    /// for anyone to register from now on (taking it over appends its release and reservation).
    pub fn forget(
        &mut self,
        store: &EventStore,
        customer: &StreamId,
    ) -> Result<(), RegistrationError> {
        self.check_forgettable(store, customer)?;
        self.keys.forget(customer);
        Ok(())
    }

    /// Whether `customer` can be forgotten: registered, and not forgotten already.
    pub fn check_forgettable(
        &self,
        store: &EventStore,
        customer: &StreamId,
    ) -> Result<(), RegistrationError> {
        self.refuse_forgotten(customer)?;
        if self.customers.load(store, customer).state.status
            == super::customer::CustomerStatus::NotRegistered
        {
            return Err(RegistrationError::Customer(CustomerError::NotRegistered));
        }
        Ok(())
    }

    /// Step one of registering `customer`: decides against the streams as they are now (the
    /// customer must be new, the address free). Appends nothing.
    pub fn prepare_registration(
        &self,
        store: &EventStore,
        customer: &StreamId,
        name: CustomerName,
        email: Email,
    ) -> Result<PreparedRegistration, RegistrationError> {
        self.refuse_forgotten(customer)?;
        let register = self.customers.decide(
            store,
            customer,
            &CustomerCommand::Register {
                name: self.seal(customer, "name", name.as_str())?,
                email: self.seal(customer, "email", email.as_str())?,
            },
        )?;
        let (reservation, reserve) = self.decide_reservation(store, customer, &email)?;
        Ok(PreparedRegistration {
            customer: customer.clone(),
            email,
            reservation,
            reserve,
            register,
        })
    }

    /// Step two: appends the reservation expecting the version it was decided on, then the
    /// customer's registration; releases the reservation again if the customer's append is refused.
    /// Returns the positions written.
    pub fn commit_registration(
        &mut self,
        store: &mut EventStore,
        prepared: PreparedRegistration,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        let reserved = self.reserve(
            store,
            &prepared.reservation,
            &prepared.email,
            &prepared.reserve,
            meta,
        )?;
        match self.customers.commit(
            store,
            &prepared.customer,
            ExpectedVersion::Exact(prepared.register.loaded_version),
            &prepared.register.events,
            meta,
        ) {
            Ok(outcome) => Ok(span(&reserved, &outcome.positions)),
            Err(error) => {
                self.release(store, &prepared.reservation, &prepared.customer, meta);
                Err(match error {
                    CommandError::Concurrency(_) => {
                        RegistrationError::Customer(CustomerError::AlreadyRegistered)
                    }
                    CommandError::Rejected(e) => RegistrationError::Customer(e),
                    CommandError::Store(e) => RegistrationError::Store(e.to_string()),
                })
            }
        }
    }

    /// Registers `customer` in one go (both steps).
    pub fn register(
        &mut self,
        store: &mut EventStore,
        customer: &StreamId,
        name: CustomerName,
        email: Email,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        let prepared = self.prepare_registration(store, customer, name, email)?;
        self.commit_registration(store, prepared, meta)
    }

    /// Changes `customer`'s email: reserves the new address, records the change, releases the old
    /// address. Returns the positions written.
    pub fn change_email(
        &mut self,
        store: &mut EventStore,
        customer: &StreamId,
        email: Email,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        self.refuse_forgotten(customer)?;
        let old = self
            .customers
            .load(store, customer)
            .state
            .email
            .and_then(|sealed| self.keys.open(customer, "email", &sealed).ok())
            .and_then(|text| Email::parse(&text).ok());
        if old.as_ref().is_some_and(|old| old.same_as(&email)) {
            return Err(RegistrationError::Customer(CustomerError::SameEmail(
                email.to_string(),
            )));
        }
        let change = self.customers.decide(
            store,
            customer,
            &CustomerCommand::ChangeEmail {
                email: self.seal(customer, "email", email.as_str())?,
            },
        )?;
        let (reservation, reserve) = self.decide_reservation(store, customer, &email)?;
        let reserved = self.reserve(store, &reservation, &email, &reserve, meta)?;
        let changed = match self.customers.commit(
            store,
            customer,
            ExpectedVersion::Exact(change.loaded_version),
            &change.events,
            meta,
        ) {
            Ok(outcome) => outcome.positions,
            Err(error) => {
                self.release(store, &reservation, customer, meta);
                return Err(match error {
                    CommandError::Concurrency(e) => RegistrationError::Conflict(e.to_string()),
                    CommandError::Rejected(e) => RegistrationError::Customer(e),
                    CommandError::Store(e) => RegistrationError::Store(e.to_string()),
                });
            }
        };
        let mut written = span(&reserved, &changed);
        if let Some(old) = old {
            let released = self.release(store, &self.reservation_of(&old), customer, meta);
            if let Some(released) = released {
                written = span(&written, &released);
            }
        }
        Ok(written)
    }

    /// Decides to reserve `email` for `customer` (refused when someone holds it): the reservation's
    /// stream and the decision. Appends nothing.
    fn decide_reservation(
        &self,
        store: &EventStore,
        customer: &StreamId,
        email: &Email,
    ) -> Result<(StreamId, Decision<ReservationEvent>), RegistrationError> {
        let reservation = self.reservation_of(email);
        // An address held by a forgotten customer is free: they can never use it again.
        let command = match self.reservations.load(store, &reservation).state.holder {
            Some(holder) if self.keys.is_forgotten(&holder) => ReservationCommand::Reclaim {
                customer: customer.clone(),
                from: holder,
            },
            _ => ReservationCommand::Reserve {
                customer: customer.clone(),
            },
        };
        let reserve = self
            .reservations
            .decide(store, &reservation, &command)
            .map_err(|e| taken(e, email))?;
        Ok((reservation, reserve))
    }

    fn reserve(
        &mut self,
        store: &mut EventStore,
        reservation: &StreamId,
        email: &Email,
        decision: &Decision<ReservationEvent>,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        match self.reservations.commit(
            store,
            reservation,
            ExpectedVersion::Exact(decision.loaded_version),
            &decision.events,
            meta,
        ) {
            Ok(outcome) => Ok(outcome.positions),
            Err(CommandError::Concurrency(e)) => {
                // Someone else wrote to the reservation since it was read: if it is held now, that
                // registration won the race.
                match self.reservations.load(store, reservation).state.holder {
                    Some(holder) => Err(RegistrationError::EmailAlreadyRegistered {
                        email: email.to_string(),
                        holder,
                    }),
                    None => Err(RegistrationError::Conflict(e.to_string())),
                }
            }
            Err(other) => Err(RegistrationError::Store(other.to_string())),
        }
    }

    /// Releases `customer`'s hold on `reservation`, if they hold it.
    fn release(
        &mut self,
        store: &mut EventStore,
        reservation: &StreamId,
        customer: &StreamId,
        meta: &mut CommandMeta,
    ) -> Option<RangeInclusive<Position>> {
        self.reservations
            .execute(
                store,
                reservation,
                &ReservationCommand::Release {
                    customer: customer.clone(),
                },
                meta,
            )
            .ok()
            .map(|o| o.positions)
    }

    /// Renames `customer` (refused when the name is the one they have).
    pub fn change_name(
        &mut self,
        store: &mut EventStore,
        customer: &StreamId,
        name: &CustomerName,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        self.refuse_forgotten(customer)?;
        let current = self.customers.load(store, customer).state.name;
        if current
            .and_then(|sealed| self.keys.open(customer, "name", &sealed).ok())
            .is_some_and(|text| text == name.as_str())
        {
            return Err(RegistrationError::Customer(CustomerError::SameName(
                name.to_string(),
            )));
        }
        let command = CustomerCommand::ChangeName {
            name: self.seal(customer, "name", name.as_str())?,
        };
        self.execute(store, customer, &command, meta)
    }

    /// Carries out a single-stream customer command (deactivate, or a change already sealed).
    pub fn execute(
        &mut self,
        store: &mut EventStore,
        customer: &StreamId,
        command: &CustomerCommand,
        meta: &mut CommandMeta,
    ) -> Result<RangeInclusive<Position>, RegistrationError> {
        self.refuse_forgotten(customer)?;
        self.customers
            .execute(store, customer, command, meta)
            .map(|o| o.positions)
            .map_err(|e| match e {
                CommandError::Rejected(e) => RegistrationError::Customer(e),
                CommandError::Concurrency(e) => RegistrationError::Conflict(e.to_string()),
                CommandError::Store(e) => RegistrationError::Store(e.to_string()),
            })
    }
}
