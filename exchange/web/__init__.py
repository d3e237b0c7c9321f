"""The trainers' workbench: the signed G2G workflow in the browser, in Vietnamese and English,
served by the hub's own application (`exchange.web.app.create_workbench_app`, started by
`eoffice demo`). Pages call the workbench, which plays each agency's eOffice system against
the hub's real /vxp/ API."""
