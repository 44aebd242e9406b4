//! The saga side of the playground: the saga's settings (validated against the settings table), the
//! selected saga, and the view models of the "Sagas" region — the instances table, the selected
//! saga's steps, its process manager's state as of the timeline, and the causation graph.

use super::settings::{Setting, SettingValue, SAGA_STYLES};
use crate::process::{SagaSettings, SagaStyle, Sagas};

/// What the saga controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SagaAction {
    /// A number or choice setting's field changed to this text.
    Set(Setting, String),
    /// A checkbox setting was ticked or unticked.
    Toggle(Setting, bool),
    /// Select the saga of this order (`order-3`), as a row of "Saga instances" does.
    Select(String),
}

/// Applies a saga action to `sagas`; `selected` is the selected saga. `Ok(Some(text))` is news.
pub fn handle(
    action: SagaAction,
    sagas: &mut Sagas,
    selected: &mut Option<u32>,
) -> Result<Option<String>, String> {
    let mut settings = sagas.settings();
    match action {
        SagaAction::Set(setting, text) => {
            let def = setting.def();
            match setting {
                Setting::SagaStyle => {
                    settings.style = [SagaStyle::Orchestration, SagaStyle::Choreography]
                        [def.parse_choice(&text)?];
                }
                Setting::DeclineRate => settings.decline_rate = def.parse_number(&text)? as u8,
                Setting::ShippingDelay => {
                    settings.shipping_delay = def.parse_number(&text)? as u32;
                }
                Setting::SagaTimeout => settings.timeout = def.parse_number(&text)? as u32,
                other => {
                    return Err(format!(
                        "{} is not a setting of the sagas.",
                        other.def().label
                    ))
                }
            }
            sagas.set_settings(settings);
            Ok(match setting {
                Setting::SagaStyle => Some(format!(
                    "Orders placed from now on run as {}; sagas already started keep their style.",
                    settings.style.to_string().to_lowercase()
                )),
                _ => None,
            })
        }
        SagaAction::Toggle(Setting::IdempotentHandlers, on) => {
            settings.idempotent = on;
            sagas.set_settings(settings);
            Ok(None)
        }
        SagaAction::Toggle(other, _) => Err(format!("{} is not a checkbox.", other.def().label)),
        SagaAction::Select(order) => {
            let wanted = crate::domain::parse_stream_id(&order, "order")?;
            let index = sagas
                .tracker()
                .index_of(&wanted)
                .ok_or_else(|| format!("{wanted} has no saga: only placed orders have one."))?;
            *selected = Some(index);
            Ok(None)
        }
    }
}

/// The value of a saga setting, as the UI shows it.
pub fn value(settings: &SagaSettings, setting: Setting) -> SettingValue {
    match setting {
        Setting::SagaStyle => SettingValue::Choice(
            SAGA_STYLES[usize::from(settings.style == SagaStyle::Choreography)].code,
        ),
        Setting::DeclineRate => SettingValue::Number(u64::from(settings.decline_rate)),
        Setting::ShippingDelay => SettingValue::Number(u64::from(settings.shipping_delay)),
        Setting::SagaTimeout => SettingValue::Number(u64::from(settings.timeout)),
        Setting::IdempotentHandlers => SettingValue::Flag(settings.idempotent),
        other => SettingValue::Number(other.def().default),
    }
}
