"""scorm-player: an open-source SCORM 1.2 and 2004 engine.

The package is layered so the folder names tell the architecture:

- ``packaging``  -- zip safety, manifest parsing, the package model (pure Python)
- ``datamodel``  -- CMI elements, types and LMS rules (pure Python)
- ``sequencing`` -- SCORM 2004 sequencing and navigation (pure Python)
- ``storage``    -- SQLAlchemy entities, repositories and Alembic migrations
- ``services``   -- use cases that combine the above inside one transaction
- ``web``        -- Flask blueprints (the only layer that imports Flask)
- ``cli``        -- the ``scorm-player`` command over the same services
"""

__version__ = "0.1.0"
