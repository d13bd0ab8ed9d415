//! Every view, lesson and step has an address: `#/lessons`, `#/lessons/backup-mx/36`
//! (the step as the player numbers it, from 1), `#/sandbox`, `#/terminal`,
//! `#/reference`. A teacher can link to a step; Back and Forward move between views
//! and lessons. A shared scenario keeps its own `#scenario=…` while the sandbox shows it.

use crate::lessons::LESSONS;

/// Where the app is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Lessons,
    /// A lesson by its index in [`LESSONS`], at a step counted from 0.
    Lesson {
        index: usize,
        step: usize,
    },
    Sandbox,
    Terminal,
    Reference,
}

impl Route {
    /// The address fragment, with its `#`.
    pub fn fragment(&self) -> String {
        match self {
            Self::Lessons => "#/lessons".to_owned(),
            Self::Lesson { index, step } => LESSONS.get(*index).map_or_else(
                || "#/lessons".to_owned(),
                |lesson| format!("#/lessons/{}/{}", lesson.id, step + 1),
            ),
            Self::Sandbox => "#/sandbox".to_owned(),
            Self::Terminal => "#/terminal".to_owned(),
            Self::Reference => "#/reference".to_owned(),
        }
    }

    /// The route a fragment names; `None` for anything else (a shared scenario, a
    /// lesson that does not exist).
    pub fn parse(fragment: &str) -> Option<Self> {
        let path = fragment.strip_prefix("#/")?;
        let mut parts = path.split('/');
        match (parts.next()?, parts.next(), parts.next(), parts.next()) {
            ("lessons" | "", None, ..) => Some(Self::Lessons),
            ("lessons", Some(id), step, None) => {
                let index = LESSONS.iter().position(|lesson| lesson.id == id)?;
                let step = match step {
                    Some(number) => number.parse::<usize>().ok()?.checked_sub(1)?,
                    None => 0,
                };
                Some(Self::Lesson { index, step })
            }
            ("sandbox", None, ..) => Some(Self::Sandbox),
            ("terminal", None, ..) => Some(Self::Terminal),
            ("reference", None, ..) => Some(Self::Reference),
            _ => None,
        }
    }

    /// Whether going from `self` to `next` is a move worth a history entry (a new view
    /// or lesson) rather than a step within the same lesson, which only updates the
    /// address: Back from a lesson returns to where the learner came from.
    pub fn is_new_place(&self, next: &Self) -> bool {
        match (self, next) {
            (Self::Lesson { index, .. }, Self::Lesson { index: other, .. }) => index != other,
            _ => self != next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_survives_its_fragment() {
        let mut routes = vec![
            Route::Lessons,
            Route::Sandbox,
            Route::Terminal,
            Route::Reference,
        ];
        routes.extend((0..LESSONS.len()).map(|index| Route::Lesson { index, step: 35 }));
        for route in routes {
            assert_eq!(
                Route::parse(&route.fragment()),
                Some(route.clone()),
                "{route:?}"
            );
        }
        assert_eq!(
            Route::parse("#/lessons/backup-mx"),
            Some(Route::Lesson {
                index: LESSONS
                    .iter()
                    .position(|lesson| lesson.id == "backup-mx")
                    .unwrap(),
                step: 0
            })
        );
    }

    #[test]
    fn other_fragments_are_not_routes() {
        for fragment in [
            "",
            "#",
            "#scenario=e30",
            "#/lessons/no-such-lesson",
            "#/lessons/backup-mx/0",
            "#/lessons/backup-mx/x",
            "#/lessons/backup-mx/3/4",
            "#/nowhere",
        ] {
            assert_eq!(Route::parse(fragment), None, "{fragment}");
        }
    }

    #[test]
    fn steps_within_a_lesson_are_not_new_places() {
        let at = |index, step| Route::Lesson { index, step };
        assert!(!at(2, 3).is_new_place(&at(2, 9)));
        assert!(at(2, 3).is_new_place(&at(3, 0)));
        assert!(Route::Lessons.is_new_place(&at(2, 0)));
        assert!(!Route::Terminal.is_new_place(&Route::Terminal));
    }
}
