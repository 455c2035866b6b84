"""The page: the picture, and beside it the controls and the muscle card (Vuetify 3, no web fonts or
icons, so it works with no network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trame.ui.vuetify3 import VAppLayout
from trame.widgets import client, html
from trame.widgets import vuetify3 as v
from trame_pyvista.widgets import PyVistaLocalView, PyVistaRemoteView

from .app import pose_key, show_key, strength_key, strength_label_key

if TYPE_CHECKING:
    from .app import ClassroomApp

PANEL_WIDTH_PX = 440
CSS = """
html, body { margin: 0; overflow: hidden; font-family: sans-serif; }
.panel { font-size: 15px; color: #eceff4; }
.panel h3 { font-size: 16px; margin: 14px 0 6px; letter-spacing: .02em; }
.group-row { display: grid; grid-template-columns: 16px 1fr 52px 52px; align-items: center; height: 34px; }
.swatch { width: 10px; height: 18px; border-radius: 2px; }
.pose-row { display: grid; grid-template-columns: 96px 1fr 1fr; align-items: center; column-gap: 8px; height: 34px; }
.card { background: #232833; border-radius: 6px; padding: 10px 12px; margin-top: 10px; line-height: 1.35; }
.card .title { font-size: 17px; font-weight: bold; margin-bottom: 6px; }
.card .field { margin: 3px 0; }
.card .label { color: #9aa4b5; }
.lesson { flex: none; height: 28vh; overflow-y: auto; box-sizing: border-box; padding: 12px 16px;
  background: #0b0e14; color: #fff; }  /* one height for every step: the picture keeps its size */
.lesson .heading { font-size: 24px; font-weight: bold; }
.lesson .caption { font-size: 21px; line-height: 1.4; margin-top: 6px; }
"""


def build_layout(app: "ClassroomApp"):
    """Build the page of ``app``; returns the layout."""
    model, controls = app.view.model, app.controls
    with VAppLayout(app.server, full_height=True, theme="dark") as layout:
        client.Style(CSS)
        with v.VNavigationDrawer(permanent=True, location="right", width=PANEL_WIDTH_PX, classes="panel pa-3"):
            html.H3("Muscles", style="margin-top: 0;")
            with html.Div(classes="group-row", style="height: 20px; color: #9aa4b5;"):
                html.Div()
                html.Div()
                for side in app.sides:
                    html.Div(side.upper(), style="text-align: center; font-weight: bold;")
            for group in controls.groups:
                card = model.muscle(model.groups[group][0]).card
                with html.Div(classes="group-row"):
                    html.Div(classes="swatch", style=f"background: {app.view.colours[card]};")
                    html.Div(group.replace("_", " ").capitalize())
                    for side in app.sides:
                        name = f"{group}_{side}"
                        with html.Div(style="display: flex; justify-content: center;"):
                            if name in app.toggles:
                                v.VCheckboxBtn(v_model=(show_key(name),), density="compact", hide_details=True,
                                               color=app.view.colours[card], id=f"show-{name}")
            html.H3("Pose, degrees")
            with html.Div(classes="pose-row", style="height: 18px; color: #9aa4b5; font-weight: bold;"):
                html.Div()
                for side in app.sides:
                    html.Div(side.upper(), style="text-align: center;")
            for base in sorted({n[:-2] for n in app.sliders}, key=lambda b: app.sliders.index(f"{b}_{app.sides[0]}")):
                with html.Div(classes="pose-row"):
                    html.Div(base.replace("_", " ").capitalize(), style="color: #c9ced8;")
                    for side in app.sides:
                        name = f"{base}_{side}"
                        lo, hi = model.coordinates[name]
                        with html.Div(style="display: flex; align-items: center;"):
                            with html.Div(style="flex: 1;", id=f"slider-{name}"):
                                v.VSlider(v_model=(pose_key(name),), min=lo, max=hi, step=1, density="compact",
                                          hide_details=True, color="#4c8bf5")
                            html.Div(f"{{{{ {pose_key(name)} }}}}" + "\N{DEGREE SIGN}",
                                     style="width: 40px; text-align: right; font-size: 13px;", id=f"value-{name}")
            with html.Div(v_if=("has_strength",)):
                html.H3("Strength, % of healthy")
                for group in app.strength_groups:
                    with html.Div(classes="pose-row", style="grid-template-columns: 150px 1fr 48px;",
                                  v_if=(f"strength_shown.includes('{group}')",)):
                        html.Div(f"{{{{ {strength_label_key(group)} }}}}", style="color: #c9ced8;",
                                 id=f"strength-label-{group}")
                        with html.Div(id=f"strength-{group}"):
                            v.VSlider(v_model=(strength_key(group),), min=0, max=100, step=5, density="compact",
                                      hide_details=True, color="#e69f00")
                        html.Div(f"{{{{ {strength_key(group)} }}}}%", style="text-align: right;",
                                 id=f"strength-value-{group}")
                html.Div("{{ drop_text }}", v_if=("drop_text",), id="pelvis-drop",
                         style="font-weight: bold; margin-top: 4px;")
            with html.Div(style="display: flex; gap: 6px; margin-top: 10px;", v_if=("has_motion",)):
                v.VBtn("{{ playing ? 'Pause' : 'Play' }}", click=app.on_play, color="#2e7d4f", id="play",
                       style="flex: 2;")
                v.VBtn("-", click=app.on_slower, id="slower", style="flex: 1;")
                html.Div("{{ speed }}\N{MULTIPLICATION SIGN}", style="flex: 1; text-align: center; align-self: center;")
                v.VBtn("+", click=app.on_faster, id="faster", style="flex: 1;")
            with html.Div(style="display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 6px; margin-top: 10px;"):
                for number, name in enumerate(app.views, start=1):
                    label = name.replace("_r", " R").replace("_", " ").capitalize()
                    v.VBtn(f"{number} {label}", size="small", click=(app.on_view, f"[{number}]"),
                           id=f"view-{name}")
            with html.Div(style="display: flex; gap: 12px; margin-top: 4px; align-items: center;"):
                v.VSwitch(v_model=("tubes",), label="Tubes", density="compact", hide_details=True, color="#4c8bf5")
                v.VSwitch(v_model=("labels",), label="Labels", density="compact", hide_details=True, color="#4c8bf5")
                v.VBtn("Reset pose", size="small", click=app.on_reset_pose, id="reset-pose")
            _card(app)
            _chart(app)
        # the lesson keys (and presenter clickers), except while typing in or sliding a control
        client.ClientTriggers(mounted="window.addEventListener('keydown', e => { if (!e.target.closest('input, "
                              ".v-slider, textarea')) { trigger('key', [e.key]); } })")
        with v.VMain(style=f"background: {app.view.scene.background};"):
            # a lesson's caption goes under the picture, never over its colour bar, readout or legend
            with html.Div(style="width: 100%; height: 100vh; display: flex; flex-direction: column;"):
                with html.Div(style="width: 100%; flex: 1; min-height: 0; position: relative;", id="picture"):
                    events = ("events", ["LeftButtonPress", "LeftButtonRelease"])
                    if app.rendering == "server":
                        view = PyVistaRemoteView(app.view.plotter, interactive_ratio=1, still_ratio=1,
                                                 interactor_events=events,
                                                 LeftButtonPress=(app.on_press, "[utils.vtk.event($event)]"),
                                                 LeftButtonRelease=(app.on_release, "[utils.vtk.event($event)]"))
                    else:
                        view = PyVistaLocalView(app.view.plotter, picking_modes=("picking_modes", ["click"]),
                                                click=(app.on_client_pick, "[$event]"))
                    app.ctrl.view_update = view.update
                    app.ctrl.view_reset_camera = view.reset_camera
                    app.remote_view = view
                    _chart_image(app)
                if app.lesson is not None:
                    _lesson_bar(app)
    return layout


def _lesson_bar(app: "ClassroomApp") -> None:
    """The step's heading and caption, large, under the picture, with previous and next."""
    with html.Div(classes="lesson", id="lesson"):
        with html.Div(style="display: flex; align-items: center; gap: 10px;"):
            v.VBtn("\N{LEFTWARDS ARROW} Previous", click=(app.on_step, "[-1]"), disabled=("lesson_first",),
                   id="lesson-previous", size="small")
            html.Div("{{ lesson_heading }}", classes="heading", id="lesson-heading", style="flex: 1;")
            v.VBtn("Next \N{RIGHTWARDS ARROW}", click=(app.on_step, "[1]"), disabled=("lesson_last",),
                   id="lesson-next", size="small", color="#4c8bf5")
        html.Div("{{ lesson_caption }}", classes="caption", id="lesson-caption")


def _chart(app: "ClassroomApp") -> None:
    """The switch and the choice of the selected muscle's plot: moment arm or length against hip angle."""
    with html.Div(classes="card", id="chart", v_if=("card",)):
        with html.Div(style="display: flex; align-items: center; gap: 8px;"):
            v.VSwitch(v_model=("chart_open",), label="Plot", density="compact", hide_details=True, color="#4c8bf5",
                      id="chart-open")
            with v.VBtnToggle(v_model=("chart_kind",), mandatory=True, density="compact", v_show=("chart_open",)):
                v.VBtn("Moment arm", value="moment_arm", size="small", id="chart-moment-arm")
                v.VBtn("Length", value="length", size="small", id="chart-length")


def _chart_image(app: "ClassroomApp") -> None:
    """The plot, over the picture's upper right corner while the panel's Plot switch is on."""
    html.Img(src=("chart_png",), v_if=("card && chart_open && chart_png",), id="chart-image",
             style="position: absolute; top: 12px; right: 12px; width: min(46%, 640px); z-index: 4; "
                   "background: white; border-radius: 6px; box-shadow: 0 2px 12px rgba(0, 0, 0, 0.5);")


def _card(app: "ClassroomApp") -> None:
    """The selected muscle's card (or how to get one)."""
    with html.Div(classes="card", id="card"):
        with html.Div(v_if=("card",)):
            html.Div("{{ card.bundle }}", classes="title", id="card-title")
            for label, key in (("Origin", "origin"), ("Insertion", "insertion"), ("Nerve", "nerve"),
                               ("Blood supply", "blood_supply"), ("Actions", "actions")):
                with html.Div(classes="field"):
                    html.Span(f"{label}: ", classes="label")
                    html.Span(f"{{{{ card.{key}.join('; ') }}}}")
            with html.Div(classes="field", id="card-pose"):
                html.Span("At this pose: ", classes="label")
                html.Span("length {{ card.length_cm.toFixed(1) }} cm; moment arms (cm): {{ card.moment_arms"
                          ".map(r => r.action + ' ' + Math.abs(r.cm).toFixed(1)).join(', ') }}")
            v.VBtn("Clear", size="small", click=app.on_clear, classes="mt-2", id="card-clear")
        with html.Div(v_else=True):
            html.Div("Click a muscle", classes="title")
            html.Div("to see its card: origin, insertion, nerve, blood supply, actions, and its length and "
                     "moment arms at this pose.")
