//! Copied from the Event Sourcing & CQRS Playground:
//! customer-1's ChangeName, refused, as of position 3.

use playground::domain::customers::{Customer, CustomerCommand, CustomerError, CustomerEvent};
use playground::kernel::testing::given;
use playground::privacy::Sealed;

#[test]
fn customer_1_change_name_is_refused() {
    given::<Customer>([
        CustomerEvent::CustomerRegistered {
            name: Sealed::from_bytes(&[
                35, 244, 167, 131, 77, 235, 169, 26, 253, 79, 113, 132, 132, 0, 99, 16, 3, 254, 96,
                84, 145, 161, 46, 6, 157, 225, 169, 89, 159, 25, 17, 66, 102, 74, 155, 161, 183,
                230, 69, 104,
            ]),
            email: Sealed::from_bytes(&[
                82, 171, 59, 160, 172, 199, 53, 119, 200, 140, 134, 212, 146, 235, 50, 203, 149,
                232, 89, 33, 93, 57, 248, 49, 36, 38, 167, 224, 171, 244, 105, 166, 141, 53, 130,
                65, 63, 194, 255, 153, 170, 129, 202, 188, 5,
            ]),
        },
        CustomerEvent::CustomerDeactivated,
    ])
    .when(CustomerCommand::ChangeName {
        name: Sealed::from_bytes(&[
            19, 187, 43, 185, 2, 68, 159, 98, 248, 8, 5, 82, 172, 34, 192, 61, 139, 155, 254, 94,
            213, 232, 6, 245, 39, 252, 32, 21, 7, 150, 117, 165, 107, 25, 127, 127, 170, 77, 9,
            240, 193, 179, 95, 41, 254, 106, 106, 183, 117,
        ]),
    })
    .then_err(CustomerError::Deactivated);
}
