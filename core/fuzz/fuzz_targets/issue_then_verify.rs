//! Issue a pass with arbitrary texts, then verify its token: a pass that is
//! issued verifies as allowed with claims equal to the pass.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precinct::{Book, Command, Policy, StationKey};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (name, scope) = text.split_once('\n').unwrap_or((text, "town"));
    let policy = Policy::default();
    let zone = policy.zone();
    let Ok(mut book) = Book::in_memory(policy) else {
        return;
    };
    let at = precinct::parse_instant("2020-02-05 09:00", zone).unwrap_or_default();
    let person = serde_json::json!({"type": "register_person", "person": {"id": "P1", "name": name,
        "document": {"kind": "resident", "number": "11010519491231002X"}, "household": null,
        "phone": null, "has_smartphone": false}});
    let Ok(command) = Command::from_json(&person) else {
        return;
    };
    if book.execute("fuzz", at, command).is_err() {
        return;
    }
    let apply = serde_json::json!({"type": "issue_pass", "application":
        {"holder": "P1", "kind": "county", "enterprise": null, "scope": scope}});
    let Ok(command) = Command::from_json(&apply) else {
        return;
    };
    let Ok(receipt) = book.execute("fuzz", at, command) else {
        return;
    };
    let precinct::Outcome::PassIssued { serial } = receipt.outcome else {
        panic!("issue_pass gave {:?}", receipt.outcome);
    };
    let key = StationKey::from_seed([7; 32]);
    let passes = book.station().passes();
    let token = passes
        .token(serial, &key)
        .expect("an issued pass has a token");
    let verdict =
        precinct::verify_token(&token, &key.public(), &passes.revocation_list(), at, None);
    assert!(verdict.allowed, "{verdict:?}");
    let claims = verdict.claims.expect("an allowed token has claims");
    let pass = passes.pass(serial).expect("the pass exists");
    assert_eq!(claims.scope, pass.scope);
    assert_eq!(claims.holder_masked, pass.holder_masked);
    // The card it was issued to matches; another card does not.
    let shown = |number: &str| precinct::ShownDocument {
        document: precinct::IdDocument::parse(number, None).expect("a valid test number"),
        holder_key: key.holder_key(),
    };
    let revoked = passes.revocation_list();
    let own = precinct::verify_token(
        &token,
        &key.public(),
        &revoked,
        at,
        Some(&shown("11010519491231002X")),
    );
    assert!(own.allowed, "{own:?}");
    let other = precinct::verify_token(
        &token,
        &key.public(),
        &revoked,
        at,
        Some(&shown("110101199003078670")),
    );
    assert!(!other.allowed, "{other:?}");
});
