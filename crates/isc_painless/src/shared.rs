//! Shared mutable containers (`Rc<RefCell<…>>`, Java's object identity)
//! whose contents may still be the document values they stand for.
//!
//! A script that runs on a large `ctx` usually touches a few paths of it.
//! A container made from a document value keeps that value (its *source*)
//! and converts it, one level deep, the first time the script looks
//! inside; the containers among its children are again lazy. Containers
//! the script never opened go back into the document unchanged when the
//! run ends: moved, not copied, when the document gave its values away.

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::fmt;
use std::rc::Rc;

/// Contents that can be built, one level deep, from a document source.
pub(crate) trait Expand: Default {
    /// The document form the contents are made from.
    type Source;
    /// What the contents hold.
    type Part;

    /// Converts the source (containers among its children stay lazy).
    fn expand(source: Self::Source) -> Self;

    /// Moves the parts that are containers out to `out`.
    fn take_containers(&mut self, out: &mut Vec<Self::Part>);

    /// Moves the container parts of `part` out to `out` when `part` is
    /// the last holder of its contents.
    fn take_part_containers(part: &mut Self::Part, out: &mut Vec<Self::Part>);
}

/// A shared container: cloning shares it, as Java references do.
pub(crate) struct Shared<T: Expand>(Rc<Inner<T>>);

struct Inner<T: Expand> {
    contents: RefCell<T>,
    /// Whether `source` still has to be converted into `contents`.
    pending: Cell<bool>,
    source: RefCell<Option<T::Source>>,
}

impl<T: Expand> Shared<T> {
    /// A container holding `contents`.
    pub(crate) fn new(contents: T) -> Shared<T> {
        Shared(Rc::new(Inner {
            contents: RefCell::new(contents),
            pending: Cell::new(false),
            source: RefCell::new(None),
        }))
    }

    /// A container converted from `source` when first opened.
    pub(crate) fn lazy(source: T::Source) -> Shared<T> {
        Shared(Rc::new(Inner {
            contents: RefCell::new(T::default()),
            pending: Cell::new(true),
            source: RefCell::new(Some(source)),
        }))
    }

    /// Reads the contents (converting the source first if needed).
    pub(crate) fn borrow(&self) -> Ref<'_, T> {
        self.load();
        self.0.contents.borrow()
    }

    /// Changes the contents (converting the source first if needed).
    pub(crate) fn borrow_mut(&self) -> RefMut<'_, T> {
        self.load();
        self.0.contents.borrow_mut()
    }

    /// The converted contents for dropping: `None` while the source is
    /// unconverted (it drops as it is) or when the contents are in use.
    pub(crate) fn loaded_mut(&self) -> Option<RefMut<'_, T>> {
        if self.0.pending.get() {
            return None;
        }
        self.0.contents.try_borrow_mut().ok()
    }

    /// Whether the source has not been converted yet.
    pub(crate) fn is_pending(&self) -> bool {
        self.0.pending.get()
    }

    /// The unconverted source, if any, for reading.
    pub(crate) fn source(&self) -> Option<Ref<'_, T::Source>> {
        if !self.0.pending.get() {
            return None;
        }
        Ref::filter_map(self.0.source.borrow(), Option::as_ref).ok()
    }

    /// The unconverted source, if any, for reading parts of it in place.
    pub(crate) fn source_mut(&self) -> Option<RefMut<'_, T::Source>> {
        if !self.0.pending.get() {
            return None;
        }
        RefMut::filter_map(self.0.source.borrow_mut(), Option::as_mut).ok()
    }

    /// Takes the unconverted source out of a container nobody else holds
    /// (the run is over and the value is going back into the document).
    /// `None` when the contents were converted or the container is shared.
    pub(crate) fn take_unique_source(&self) -> Option<T::Source> {
        if !self.0.pending.get() || Rc::strong_count(&self.0) != 1 {
            return None;
        }
        let source = self.0.source.borrow_mut().take();
        // What is left is an empty container, as a moved-from value is.
        self.0.pending.set(false);
        source
    }

    /// Whether both are the same container (Java `==`).
    pub(crate) fn ptr_eq(a: &Shared<T>, b: &Shared<T>) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// How many values hold this container.
    pub(crate) fn strong_count(&self) -> usize {
        Rc::strong_count(&self.0)
    }

    /// The container's address, Java's identity hash stand-in.
    pub(crate) fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }

    fn load(&self) {
        if self.0.pending.get() {
            self.0.pending.set(false);
            if let Some(source) = self.0.source.borrow_mut().take() {
                *self.0.contents.borrow_mut() = T::expand(source);
            }
        }
    }
}

/// Containers nest as deep as a script makes them: freeing them one inside
/// the other would recurse as deep. The last holder's contents give their
/// containers to a work list instead, and each of those gives away its own
/// before it is freed, so every free is shallow.
impl<T: Expand> Drop for Inner<T> {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.contents.get_mut().take_containers(&mut pending);
        while let Some(mut part) = pending.pop() {
            T::take_part_containers(&mut part, &mut pending);
        }
    }
}

impl<T: Expand> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T: Expand + fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.pending.get() {
            return f.write_str("Shared(<document>)");
        }
        match self.0.contents.try_borrow() {
            Ok(c) => f.debug_tuple("Shared").field(&*c).finish(),
            Err(_) => f.write_str("Shared(<in use>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Doubled(Vec<u32>);

    impl Expand for Doubled {
        type Source = Vec<u32>;
        type Part = u32;
        fn expand(source: Vec<u32>) -> Self {
            Doubled(source.into_iter().map(|x| x * 2).collect())
        }
        fn take_containers(&mut self, _: &mut Vec<u32>) {}
        fn take_part_containers(_: &mut u32, _: &mut Vec<u32>) {}
    }

    #[test]
    fn contents_are_converted_on_first_use_and_shared_by_clones() {
        let a: Shared<Doubled> = Shared::lazy(vec![1, 2]);
        let b = a.clone();
        assert!(a.is_pending());
        b.borrow_mut().0.push(10);
        assert!(!a.is_pending());
        assert_eq!(a.borrow().0, vec![2, 4, 10]);
        assert!(Shared::ptr_eq(&a, &b));
    }

    #[test]
    fn an_unopened_source_is_handed_back_only_by_its_last_holder() {
        let a: Shared<Doubled> = Shared::lazy(vec![3]);
        let b = a.clone();
        assert_eq!(a.take_unique_source(), None);
        assert_eq!(a.source().map(|s| s.clone()), Some(vec![3]));
        drop(b);
        assert_eq!(a.take_unique_source(), Some(vec![3]));
        assert!(a.borrow().0.is_empty());
    }

    #[test]
    fn dropping_does_not_convert() {
        let a: Shared<Doubled> = Shared::lazy(vec![3]);
        assert!(a.loaded_mut().is_none());
        assert!(a.is_pending());
    }
}
