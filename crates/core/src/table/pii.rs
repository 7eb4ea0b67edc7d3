//! Recognizing personal data (emails, phone numbers, names, addresses) so it is never used
//! as a feature and is only re-attached at export when the user asks.

use serde::{Deserialize, Serialize};

use super::ColumnKind;

/// The kind of personal data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// Email addresses.
    Email,
    /// Phone numbers.
    Phone,
    /// People's names.
    Name,
    /// Postal addresses.
    Address,
    /// Dates of birth.
    BirthDate,
    /// Anything else the user marked as personal data.
    Other,
}

impl PiiKind {
    /// Plain-language label.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Email => "email address",
            PiiKind::Phone => "phone number",
            PiiKind::Name => "person's name",
            PiiKind::Address => "postal address",
            PiiKind::BirthDate => "date of birth",
            PiiKind::Other => "marked by you",
        }
    }
}

fn normalized(name: &str) -> String {
    name.trim().to_lowercase().replace(['-', ' ', '.'], "_")
}

fn has_word(name: &str, words: &[&str]) -> bool {
    let n = normalized(name);
    n.split('_').any(|part| words.contains(&part)) || words.iter().any(|w| n == *w)
}

/// Classifies a column from its name, its kind and a sample of its non-missing values.
/// Values decide only for text-like columns: a date such as `2023-07-17` has the shape of a
/// phone number, but a date column never holds phone numbers. A yes/no column holds none
/// (`email_opt_in`, `phone_verified`).
pub fn detect(name: &str, kind: ColumnKind, sample: &[&str]) -> Option<PiiKind> {
    if kind == ColumnKind::Boolean {
        return None;
    }
    let n = normalized(name);
    if kind == ColumnKind::Date {
        let birth = has_word(name, &["dob", "birthday", "birthdate"])
            || n.contains("date_of_birth")
            || n.contains("birth_date");
        return birth.then_some(PiiKind::BirthDate);
    }
    let by_values = matches!(
        kind,
        ColumnKind::Text | ColumnKind::Id | ColumnKind::Categorical
    );
    let sample: &[&str] = if by_values { sample } else { &[] };
    let share = |pred: &dyn Fn(&str) -> bool| {
        if sample.is_empty() {
            0.0
        } else {
            sample.iter().filter(|s| pred(s)).count() as f64 / sample.len() as f64
        }
    };
    // A name hint alone is not enough when the values are numbers (`email_open_rate`).
    let numeric = share(&|s: &str| s.trim().trim_end_matches('%').parse::<f64>().is_ok()) >= 0.8;
    let email_name =
        has_word(name, &["email", "e_mail", "mail", "emailaddress"]) || n.contains("email");
    if (email_name && !numeric && !kind.is_numeric()) || share(&looks_like_email) >= 0.8 {
        return Some(PiiKind::Email);
    }
    if has_word(
        name,
        &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "fax",
            "msisdn",
            "phonenumber",
        ],
    ) {
        return Some(PiiKind::Phone);
    }
    if share(&looks_like_phone) >= 0.9 && sample.iter().any(|s| s.contains(['+', '(', ' ', '-'])) {
        return Some(PiiKind::Phone);
    }
    if has_word(name, &["dob", "birthday", "birthdate"])
        || n.contains("date_of_birth")
        || n.contains("birth_date")
    {
        return Some(PiiKind::BirthDate);
    }
    if has_word(
        name,
        &[
            "address",
            "street",
            "addr",
            "zip",
            "zipcode",
            "postcode",
            "postal",
            "postalcode",
        ],
    ) {
        return Some(PiiKind::Address);
    }
    let name_words = [
        "name",
        "firstname",
        "lastname",
        "surname",
        "fullname",
        "forename",
        "givenname",
    ];
    let not_person = [
        "product",
        "company",
        "item",
        "brand",
        "store",
        "shop",
        "campaign",
        "category",
        "file",
        "user",
        "account",
        "business",
        "org",
        "organization",
        "organisation",
        "list",
        "segment",
        "stock",
        "country",
        "city",
        "plan",
        "tier",
        "channel",
        "source",
        "region",
        "group",
        "team",
        "level",
        "method",
        "type",
        "event",
        "page",
        "site",
        "domain",
        "vendor",
        "supplier",
        "carrier",
        "coupon",
        "promo",
        "program",
        "service",
        "device",
        "browser",
        "app",
        "location",
    ];
    if has_word(name, &name_words) && !has_word(name, &not_person) {
        return Some(PiiKind::Name);
    }
    // `contact` may hold the contact person, or how a customer was contacted (Bank
    // Marketing's `cellular` / `telephone`): only values shaped like many people's names
    // say it is the first.
    if has_word(name, &["contact"]) && !has_word(name, &not_person) && names_of_people(sample) {
        return Some(PiiKind::Name);
    }
    None
}

/// Whether nearly all of `sample` looks like people's names (`Ann de Vries`, `O'Neill`),
/// with enough different ones that they are not a handful of categories.
fn names_of_people(sample: &[&str]) -> bool {
    let shaped = sample.iter().filter(|s| looks_like_name(s)).count();
    let mut distinct: Vec<&str> = sample.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    !sample.is_empty()
        && shaped as f64 >= 0.8 * sample.len() as f64
        && (distinct.len() == sample.len() || distinct.len() >= (sample.len() / 20).max(3))
}

/// One to four words of letters, `'`, `-` and `.`, the first starting with a capital
/// letter (`Ann de Vries`).
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && s.chars().next().is_some_and(char::is_uppercase)
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || "'-.".contains(c)))
}

fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains(' ')
                && domain.contains('.')
                && !domain.contains(['@', ' '])
                && !domain.ends_with('.')
        }
        None => false,
    }
}

fn looks_like_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || "+-() ./".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name() {
        assert_eq!(detect("Email", ColumnKind::Id, &[]), Some(PiiKind::Email));
        assert_eq!(
            detect("customer_email", ColumnKind::Text, &[]),
            Some(PiiKind::Email)
        );
        assert_eq!(detect("Phone", ColumnKind::Text, &[]), Some(PiiKind::Phone));
        assert_eq!(
            detect("first_name", ColumnKind::Text, &[]),
            Some(PiiKind::Name)
        );
        assert_eq!(
            detect("Last Name", ColumnKind::Text, &[]),
            Some(PiiKind::Name)
        );
        assert_eq!(
            detect("street_address", ColumnKind::Text, &[]),
            Some(PiiKind::Address)
        );
        assert_eq!(detect("ZIP", ColumnKind::Text, &[]), Some(PiiKind::Address));
        assert_eq!(detect("product_name", ColumnKind::Text, &[]), None);
        for name in [
            "plan_name",
            "Tier Name",
            "channel_name",
            "supplier_name",
            "app_name",
        ] {
            assert_eq!(
                detect(name, ColumnKind::Categorical, &["Gold"]),
                None,
                "{name}"
            );
        }
        assert_eq!(detect("Country", ColumnKind::Text, &[]), None);
        assert_eq!(detect("total_spent", ColumnKind::Text, &[]), None);
    }

    #[test]
    fn yes_no_columns_are_not_personal_data() {
        for name in [
            "email_opt_in",
            "Email opened",
            "phone_verified",
            "has_mobile",
        ] {
            assert_eq!(
                detect(name, ColumnKind::Boolean, &["yes", "no"]),
                None,
                "{name}"
            );
        }
    }

    #[test]
    fn contact_is_a_name_only_when_the_values_are_names() {
        let people = ["Ann de Vries", "Bob Smith", "Chloé Martin", "D. O'Neill"];
        assert_eq!(
            detect("Contact", ColumnKind::Text, &people),
            Some(PiiKind::Name)
        );
        assert_eq!(
            detect("contact_person", ColumnKind::Categorical, &people),
            Some(PiiKind::Name)
        );
        // Bank Marketing: how the customer was contacted.
        let ways: Vec<&str> = ["cellular", "telephone"].repeat(50);
        assert_eq!(detect("contact", ColumnKind::Categorical, &ways), None);
        let channels: Vec<&str> = ["Email", "Phone", "Post"].repeat(40);
        assert_eq!(detect("contact", ColumnKind::Categorical, &channels), None);
        assert_eq!(detect("contact", ColumnKind::Integer, &[]), None);
        assert_eq!(detect("last_contact", ColumnKind::Date, &[]), None);
        assert_eq!(
            detect(
                "contact",
                ColumnKind::Text,
                &["ann@example.com", "bob@shop.nl"]
            ),
            Some(PiiKind::Email)
        );
    }

    #[test]
    fn by_values() {
        assert_eq!(
            detect(
                "contact_info",
                ColumnKind::Id,
                &["ann@example.com", "bob@shop.nl"]
            ),
            Some(PiiKind::Email)
        );
        assert_eq!(
            detect(
                "c3",
                ColumnKind::Text,
                &["+44 20 7946 0958", "+31 6 1234 5678"]
            ),
            Some(PiiKind::Phone)
        );
        assert_eq!(
            detect("amount", ColumnKind::Integer, &["1234567", "7654321"]),
            None
        );
        assert_eq!(
            detect("email_open_rate", ColumnKind::Numeric, &["45.5", "12.0"]),
            None
        );
        assert_eq!(
            detect(
                "signup_date",
                ColumnKind::Date,
                &["2023-07-17", "2024-01-02"]
            ),
            None
        );
        assert_eq!(
            detect("dob", ColumnKind::Date, &["1980-07-17"]),
            Some(PiiKind::BirthDate)
        );
        assert_eq!(
            detect("mobile", ColumnKind::Integer, &["31612345678"]),
            Some(PiiKind::Phone)
        );
    }
}
