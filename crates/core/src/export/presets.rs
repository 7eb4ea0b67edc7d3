//! Files shaped for the tools marketers import into: Mailchimp, HubSpot and Klaviyo
//! contact imports, and hashed customer lists for ad platforms' customer-match audiences.
//!
//! Contact details come from the columns Segmenta flagged as personal data (emails,
//! phones, names): they are never features, and re-enter only here, in files the user
//! downloads. Column headers follow each tool's documented import names, email first.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{LabelColumns, safe_cell};
use crate::table::{Column, PiiKind, Table};

/// An import format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// Mailchimp audience import: Email Address, First Name, Last Name, Phone Number, Tags.
    Mailchimp,
    /// HubSpot contacts import: Email, First Name, Last Name, Phone Number, Segment.
    Hubspot,
    /// Klaviyo list import: Email, Phone Number, First Name, Last Name, Segment.
    Klaviyo,
    /// Customer-match audience (Google Ads' headers: Email, Phone, First Name, Last Name),
    /// every value normalized and SHA-256 hashed, one file per segment.
    AdsHashed,
}

/// Every preset, in the order they are offered.
pub const PRESETS: [Preset; 4] = [
    Preset::Mailchimp,
    Preset::Hubspot,
    Preset::Klaviyo,
    Preset::AdsHashed,
];

impl Preset {
    /// The id used on the command line and in file names.
    pub fn id(self) -> &'static str {
        match self {
            Preset::Mailchimp => "mailchimp",
            Preset::Hubspot => "hubspot",
            Preset::Klaviyo => "klaviyo",
            Preset::AdsHashed => "ads-hashed",
        }
    }

    /// The preset with this id.
    pub fn from_id(id: &str) -> Option<Preset> {
        PRESETS.into_iter().find(|p| p.id() == id)
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Mailchimp => "Mailchimp",
            Preset::Hubspot => "HubSpot",
            Preset::Klaviyo => "Klaviyo",
            Preset::AdsHashed => "Ad audiences (hashed)",
        }
    }

    /// The header row.
    pub fn header(self) -> [&'static str; 5] {
        match self {
            Preset::Mailchimp => [
                "Email Address",
                "First Name",
                "Last Name",
                "Phone Number",
                "Tags",
            ],
            Preset::Hubspot => [
                "Email",
                "First Name",
                "Last Name",
                "Phone Number",
                "Segment",
            ],
            Preset::Klaviyo => [
                "Email",
                "Phone Number",
                "First Name",
                "Last Name",
                "Segment",
            ],
            Preset::AdsHashed => ["Email", "Phone", "First Name", "Last Name", ""],
        }
    }
}

/// Why a preset file cannot be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PresetError {
    /// No email column (CRM presets need one).
    #[error(
        "{preset} imports need an email address per contact, and no column of email addresses was found. Add the customer list with the email column to the files."
    )]
    NoEmail {
        /// The preset's name.
        preset: &'static str,
    },
    /// Neither emails nor phones (ad audiences need one of them).
    #[error(
        "Ad audiences match people by email or phone, and neither column was found. Add the customer list with emails or phone numbers to the files."
    )]
    NoContact,
}

/// The contact columns of a table, found by their personal-data flags and names.
#[derive(Debug, Clone, Copy, Default)]
pub struct Contacts<'a> {
    /// Email addresses.
    pub email: Option<&'a Column>,
    /// Phone numbers.
    pub phone: Option<&'a Column>,
    /// First names.
    pub first: Option<&'a Column>,
    /// Last names.
    pub last: Option<&'a Column>,
    /// Full names ("Ann Smith"), split at the first space when there are no separate
    /// first and last names.
    pub full: Option<&'a Column>,
}

impl<'a> Contacts<'a> {
    /// Finds the contact columns of `table`.
    pub fn of(table: &'a Table) -> Contacts<'a> {
        let mut c = Contacts::default();
        for column in table.columns() {
            let name = column.name.to_lowercase().replace([' ', '-'], "_");
            match column.pii {
                Some(PiiKind::Email) => {
                    c.email.get_or_insert(column);
                }
                Some(PiiKind::Phone) => {
                    c.phone.get_or_insert(column);
                }
                Some(PiiKind::Name) if name.contains("first") || name.contains("given") => {
                    c.first.get_or_insert(column);
                }
                Some(PiiKind::Name)
                    if name.contains("last")
                        || name.contains("surname")
                        || name.contains("family") =>
                {
                    c.last.get_or_insert(column);
                }
                Some(PiiKind::Name) => {
                    c.full.get_or_insert(column);
                }
                _ => {}
            }
        }
        c
    }

    /// First and last name of row `i`.
    fn names(&self, i: usize) -> (String, String) {
        let text = |c: Option<&Column>| {
            c.filter(|c| !c.is_missing(i))
                .map(|c| c.display(i).trim().to_owned())
                .unwrap_or_default()
        };
        match (self.first, self.last, self.full) {
            (None, None, Some(full)) => {
                let full = text(Some(full));
                match full.split_once(' ') {
                    Some((a, b)) => (a.to_owned(), b.trim().to_owned()),
                    None => (full, String::new()),
                }
            }
            _ => (text(self.first), text(self.last)),
        }
    }
}

/// A preset file: its rows and how many customers had to be left out.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetFile {
    /// Suggested file name suffix (the segment's, for per-segment files).
    pub name: String,
    /// CSV bytes.
    pub bytes: Vec<u8>,
    /// Customers written.
    pub rows: usize,
}

/// What a preset export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetExport {
    /// One file, or one per segment for ad audiences.
    pub files: Vec<PresetFile>,
    /// Segmented customers left out for lack of an email (or, for ads, email and phone).
    pub skipped: usize,
    /// Phones left out of ad audiences because they had no country code.
    pub phones_without_country: usize,
}

/// Writes `preset` for the segmented customers of `table`. `country_code` (digits, e.g.
/// `44`) completes phone numbers written without one, for ad audiences.
pub fn preset_export(
    preset: Preset,
    table: &Table,
    labels: &LabelColumns<'_>,
    country_code: Option<&str>,
) -> Result<PresetExport, PresetError> {
    let contacts = Contacts::of(table);
    let cell = |c: Option<&Column>, i: usize| {
        c.filter(|c| !c.is_missing(i))
            .map(|c| c.display(i).trim().to_owned())
            .unwrap_or_default()
    };
    let name_of = |l: usize| {
        if Some(l) == labels.outliers {
            crate::explain::OUTLIERS.to_owned()
        } else {
            labels.names.get(l).cloned().unwrap_or_default()
        }
    };
    let mut skipped = 0;
    let mut phones_without_country = 0;
    if preset == Preset::AdsHashed {
        if contacts.email.is_none() && contacts.phone.is_none() {
            return Err(PresetError::NoContact);
        }
        let groups = labels.names.len();
        let mut writers: Vec<(csv::Writer<Vec<u8>>, usize)> = (0..groups)
            .map(|_| {
                let mut w = csv::Writer::from_writer(Vec::new());
                // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
                let _ = w.write_record(&preset.header()[..4]);
                (w, 0)
            })
            .collect();
        for (i, label) in labels.labels.iter().enumerate() {
            let Some(l) = *label else { continue };
            let email = normalize_email(&cell(contacts.email, i));
            let raw_phone = cell(contacts.phone, i);
            let phone = normalize_phone(&raw_phone, country_code);
            if phone.is_none() && !raw_phone.is_empty() {
                phones_without_country += 1;
            }
            let phone = phone.unwrap_or_default();
            if email.is_empty() && phone.is_empty() {
                skipped += 1;
                continue;
            }
            let (first, last) = contacts.names(i);
            let record = [
                sha256_hex(&email),
                sha256_hex(&phone),
                sha256_hex(&normalize_name(&first)),
                sha256_hex(&normalize_name(&last)),
            ];
            if let Some((w, n)) = writers.get_mut(l) {
                let _ = w.write_record(&record);
                *n += 1;
            }
        }
        let files = writers
            .into_iter()
            .enumerate()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(l, (w, rows))| PresetFile {
                name: name_of(l),
                bytes: w.into_inner().unwrap_or_default(),
                rows,
            })
            .collect();
        return Ok(PresetExport {
            files,
            skipped,
            phones_without_country,
        });
    }
    let email_column = contacts.email.ok_or(PresetError::NoEmail {
        preset: preset.label(),
    })?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(preset.header());
    let mut rows = 0;
    for (i, label) in labels.labels.iter().enumerate() {
        let Some(l) = *label else { continue };
        let email = cell(Some(email_column), i);
        if email.is_empty() {
            skipped += 1;
            continue;
        }
        let (first, last) = contacts.names(i);
        let phone = cell(contacts.phone, i);
        let segment = name_of(l);
        let values = match preset {
            Preset::Klaviyo => [email, phone, first, last, segment],
            _ => [email, first, last, phone, segment],
        };
        let _ = w.write_record(values.iter().map(|v| safe_cell(v).into_owned()));
        rows += 1;
    }
    Ok(PresetExport {
        files: vec![PresetFile {
            name: String::new(),
            bytes: w.into_inner().unwrap_or_default(),
            rows,
        }],
        skipped,
        phones_without_country: 0,
    })
}

/// SHA-256 of `text` as lowercase hex; empty text stays empty (nothing to match on).
pub fn sha256_hex(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An email as ad platforms match it: trimmed and lowercased; for Gmail addresses the
/// dots before the `@` removed (Google's customer-match rule). Empty when it is not an
/// address.
pub fn normalize_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return String::new();
    };
    if local.is_empty() || !domain.contains('.') {
        return String::new();
    }
    if domain == "gmail.com" || domain == "googlemail.com" {
        format!("{}@{domain}", local.replace('.', ""))
    } else {
        email
    }
}

/// A phone number in E.164 form (`+441632960001`): digits only after a `+`. Numbers with
/// a `+` or `00` prefix keep their country code; others get `country_code` (dropping a
/// national leading 0), or `None` without one, since a hash of a wrong number matches
/// nobody.
pub fn normalize_phone(phone: &str, country_code: Option<&str>) -> Option<String> {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    if trimmed.starts_with('+') {
        Some(format!("+{digits}"))
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(format!("+{rest}"))
    } else {
        let code: String = country_code?.chars().filter(char::is_ascii_digit).collect();
        (!code.is_empty()).then(|| format!("+{code}{}", digits.trim_start_matches('0')))
    }
}

/// A name as ad platforms match it: lowercase, without punctuation, single spaces.
pub fn normalize_name(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn hashes_match_the_published_sha256_of_normalized_values() {
        // printf '%s' 'test@example.com' | sha256sum
        assert_eq!(
            sha256_hex(&normalize_email("  Test@Example.COM ")),
            "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"
        );
        assert_eq!(normalize_email("Jane.Doe@gmail.com"), "janedoe@gmail.com");
        assert_eq!(normalize_email("not an email"), "");
        assert_eq!(
            normalize_phone("+44 (0)20 7946 0000", None).as_deref(),
            Some("+4402079460000")
        );
        assert_eq!(
            normalize_phone("0044 20 7946 0000", None).as_deref(),
            Some("+442079460000")
        );
        assert_eq!(
            normalize_phone("020 7946 0000", Some("44")).as_deref(),
            Some("+442079460000")
        );
        assert_eq!(normalize_phone("020 7946 0000", None), None);
        assert_eq!(normalize_name(" O'Brien-Smith "), "obriensmith");
        assert_eq!(sha256_hex(""), "");
    }

    fn table() -> Table {
        read_bytes(
            "customer_id,email,first_name,last_name,phone,spend\n\
             1,ann@example.com,Ann,Lee,+44 1632 960001,10\n\
             2,=HYPERLINK(\"http://x\"),Bob,@SUM(A1),+1 555 0100 200,20\n\
             3,,Cy,Young,,30\n"
                .as_bytes(),
            &ReadOptions::default(),
        )
        .unwrap()
        .table
    }

    #[test]
    fn crm_presets_put_email_first_and_neutralize_formulas() {
        let t = table();
        let names = vec!["Loyal".to_owned(), "New".to_owned()];
        let labels = [Some(0), Some(1), Some(1)];
        let columns = LabelColumns {
            labels: &labels,
            names: &names,
            outliers: None,
            probability: None,
            campaigns: None,
            extra: &[],
        };
        let out = preset_export(Preset::Mailchimp, &t, &columns, None).unwrap();
        let text = String::from_utf8(out.files[0].bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Email Address,First Name,Last Name,Phone Number,Tags"
        );
        assert_eq!(lines[1], "ann@example.com,Ann,Lee,+44 1632 960001,Loyal");
        assert_eq!(
            lines[2],
            "\"'=HYPERLINK(\"\"http://x\"\")\",Bob,'@SUM(A1),+1 555 0100 200,New"
        );
        assert_eq!((out.files[0].rows, out.skipped), (2, 1));
        let k = preset_export(Preset::Klaviyo, &t, &columns, None).unwrap();
        assert!(String::from_utf8(k.files[0].bytes.clone()).unwrap().starts_with(
            "Email,Phone Number,First Name,Last Name,Segment\nann@example.com,+44 1632 960001,Ann,Lee,Loyal\n"
        ));
        let no_email = read_bytes(b"id,spend\n1,2\n", &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(
            preset_export(Preset::Hubspot, &no_email, &columns, None).unwrap_err(),
            PresetError::NoEmail { preset: "HubSpot" }
        );
    }

    #[test]
    fn ad_audiences_are_hashed_one_file_per_segment() {
        let t = table();
        let names = vec!["Loyal".to_owned(), "New".to_owned()];
        let labels = [Some(0), Some(1), Some(1)];
        let columns = LabelColumns {
            labels: &labels,
            names: &names,
            outliers: None,
            probability: None,
            campaigns: None,
            extra: &[],
        };
        let out = preset_export(Preset::AdsHashed, &t, &columns, None).unwrap();
        assert_eq!(out.files.len(), 2);
        assert_eq!(out.files[0].name, "Loyal");
        let loyal = String::from_utf8(out.files[0].bytes.clone()).unwrap();
        assert_eq!(
            loyal,
            format!(
                "Email,Phone,First Name,Last Name\n{},{},{},{}\n",
                sha256_hex("ann@example.com"),
                sha256_hex("+441632960001"),
                sha256_hex("ann"),
                sha256_hex("lee")
            )
        );
        assert!(!loyal.contains("ann@"));
        // Bob's "email" is no address, but his phone matches; Cy has neither.
        assert_eq!((out.files[1].rows, out.skipped), (1, 1));
    }
}
