//! Files in and out of the page: a download built from text parts, and a chosen or dropped file's
//! bytes.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `parts` (joined, as one file called `name` of type `media`) as a download.
pub fn download(name: &str, media: &str, parts: &[String]) -> Result<(), String> {
    let failed = |what: &str| format!("The browser could not save the file ({what}).");
    let array = js_sys::Array::new();
    for part in parts {
        array.push(&wasm_bindgen::JsValue::from_str(part));
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&array, &options)
        .map_err(|_| failed("no room for it"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("no URL"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| failed("no document"))?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| failed("no link"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The click has started the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The whole contents of `file`.
pub async fn read(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The browser could not read the file.".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
